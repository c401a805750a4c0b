// Baseline for the gateway benchmark: Koa with one handler and nothing else. Plain JavaScript,
// so it starts without a TypeScript loader, exactly like the built AWP it is compared with.
import Koa from 'koa';

const app = new Koa();
app.use(function bareHealthz(ctx) {
  ctx.body = { status: 'ok' };
});
app.listen(Number(process.env.PORT), '127.0.0.1');
