/**
 * A forward proxy for HTTPS (HTTP CONNECT) in its own process, started by connect-proxy.ts. Every host it is
 * asked for is reached at 127.0.0.1 on the same port, so a test server on loopback can stand behind any name.
 * It logs each CONNECT target as one line, prints its port once listening, and exits when stdin closes.
 */
const { appendFileSync } = require('node:fs');
const http = require('node:http');
const net = require('node:net');

const log = process.argv[2];
const proxy = http.createServer((request, response) => {
  response.writeHead(405);
  response.end();
});
proxy.on('connect', (request, socket, head) => {
  appendFileSync(log, `${request.url}\n`);
  const port = Number(request.url.split(':').pop());
  const upstream = net.connect(port, '127.0.0.1', () => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
});
proxy.listen(0, '127.0.0.1', () => process.stdout.write(`${proxy.address().port}\n`));
process.stdin.on('close', () => process.exit(0)).resume();
