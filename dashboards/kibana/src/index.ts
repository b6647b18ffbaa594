// Every Kibana saved object obskit ships, in the one file `obskit dashboards generate` writes
// into dashboards/kibana/ and `obskit dashboards import --kibana <url>` sends.

import { logsDashboard } from './dashboard';
import { dataView } from './data-view';
import { searches } from './searches';
import { visualisations } from './visualisations';

export { ndjson } from './saved-object';

export const savedObjects = () => [dataView(), ...searches(), ...visualisations(), logsDashboard()];
