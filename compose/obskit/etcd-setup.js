// compose's one-shot etcd setup, run at every `docker compose up` once etcd is healthy: the
// addresses of Redis and MongoDB under /services/, with the code `obskit demo` uses before it
// starts the services, so the entity service finds its stores in etcd as it does locally.
// A put of the same value, so running it again changes nothing.
const { etcdClient } = require('../../dist/demo-services/common/discovery/etcd-client');
const { registerStores } = require('../../dist/demo-services/common/discovery/stores');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function setup() {
  const url = required('OBSKIT_ETCD_URL');
  const stores = { redis: required('REDIS_ADDRESS'), mongodb: required('MONGODB_ADDRESS') };
  await registerStores(etcdClient(url), stores);
  for (const [store, address] of Object.entries(stores))
    process.stdout.write(`✓ ${store} at ${address} in etcd at ${url}\n`);
}

setup().catch((error) => {
  process.stderr.write(`etcd-setup: ${error.message.split('\n')[0]}\n`);
  process.exit(1);
});
