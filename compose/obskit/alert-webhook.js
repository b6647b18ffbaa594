// The webhook receiver of collectors/prometheus/alertmanager.yml in compose: it shares
// Alertmanager's network namespace, listens on 127.0.0.1:9095 and prints one line per alert of
// each notification, so `docker compose logs alert-webhook` shows what fired and resolved.
const { createServer } = require('node:http');

const maxBodyBytes = 1024 * 1024;

function describe(alert) {
  const { alertname = '?', severity = '', job = '', service = '' } = alert.labels ?? {};
  const where = [job, service].filter(Boolean).join('/');
  const summary = alert.annotations?.summary ?? '';
  return `${alert.status ?? '?'} ${alertname}${severity ? ` [${severity}]` : ''}${where ? ` ${where}` : ''}: ${summary}`;
}

const server = createServer((request, response) => {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  });
  request.on('end', () => {
    if (request.method !== 'POST' || request.url !== '/alerts') {
      response.writeHead(404).end();
      return;
    }
    try {
      const notification = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const alert of notification.alerts ?? []) process.stdout.write(`${describe(alert)}\n`);
      response.writeHead(200).end();
    } catch {
      process.stdout.write(`unreadable notification (${size} bytes)\n`);
      response.writeHead(400).end();
    }
  });
});

server.listen(9095, '127.0.0.1', () => process.stdout.write('alert webhook on 127.0.0.1:9095\n'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
