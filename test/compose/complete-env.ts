// Prints compose/.env.example with every secret set, as a user's compose/.env: what `make
// compose-check` loads the compose file with, since the example itself must fail to load.

import { completeEnvText } from './model';

process.stdout.write(completeEnvText());
