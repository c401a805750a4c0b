// The customer API the 3-call workflow benchmark calls: three JSON endpoints, nothing else.
// Plain node:http in its own process (pinned to the other core), so both sides of the
// comparison call exactly the same server.
import { createServer } from 'node:http';

const stock = { sku: 'bun', available: 40 };
createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/healthz') return response.end('{"status":"ok"}');
    if (request.url?.startsWith('/stock/')) return response.end(JSON.stringify(stock));
    if (request.url === '/orders' && request.method === 'POST') {
      const order = JSON.parse(body || '{}');
      response.statusCode = 201;
      return response.end(JSON.stringify({ orderId: 'ord-1', items: order.items ?? [] }));
    }
    if (request.url?.startsWith('/orders/'))
      return response.end('{"orderId":"ord-1","status":"scheduled"}');
    response.statusCode = 404;
    response.end('{"error":"not found"}');
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
