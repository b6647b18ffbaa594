// The secrets of compose/.env, checked before the setup's first request, so that no service
// logs in with a publicly known value: compose's `${VAR:?}` guards only refuse empty ones.
// One rule per kind, as each consumer enforces it (a shorter value would fail later, there).

/** Values anyone can read: .env.example's former change-me-…, Elastic's and Grafana's defaults. */
const knownValue = /change-?me|^(admin|password|elastic)$/i;

const kinds = {
  // Elasticsearch refuses passwords under 6 characters (its change-password and user APIs);
  // Grafana's admin gets the same floor.
  password: { minLength: 6, what: 'a password' },
  // Kibana refuses encryption keys under 32 characters.
  key: { minLength: 32, what: 'an encryption key' },
};

/** The variables the setup checks, each with its kind. */
const secrets = {
  ELASTIC_PASSWORD: 'password',
  KIBANA_SYSTEM_PASSWORD: 'password',
  FLUENTD_ELASTICSEARCH_PASSWORD: 'password',
  GRAFANA_ELASTICSEARCH_PASSWORD: 'password',
  JAEGER_ELASTICSEARCH_PASSWORD: 'password',
  MONITOR_ELASTICSEARCH_PASSWORD: 'password',
  GRAFANA_ADMIN_PASSWORD: 'password',
  KIBANA_SECURITY_ENCRYPTION_KEY: 'key',
  KIBANA_SAVED_OBJECTS_ENCRYPTION_KEY: 'key',
  KIBANA_REPORTING_ENCRYPTION_KEY: 'key',
};

/** Why `name`'s value must not be used, or undefined when it may. */
function whyRefused(name, value) {
  const { minLength, what } = kinds[secrets[name]];
  if (!value) return `${name} is not set`;
  if (knownValue.test(value))
    return `${name} is an example value; set a secret of your own in compose/.env`;
  if (value.length < minLength)
    return `${name} is ${value.length} characters; ${what} needs at least ${minLength}`;
  return undefined;
}

/** Throws with one line naming the first secret that is missing, known or too short. */
function checkSecrets(env) {
  for (const name of Object.keys(secrets)) {
    const reason = whyRefused(name, env[name]);
    if (reason) throw new Error(reason);
  }
}

module.exports = { checkSecrets, secretNames: Object.keys(secrets) };
