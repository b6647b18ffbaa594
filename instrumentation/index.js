// `node -r ./instrumentation app.js` (or `-r obskit/instrumentation`) loads the built preload.
require('../dist/instrumentation/preload.js');
