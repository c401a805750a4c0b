// Baseline for the authenticated gateway benchmark: Koa answering one fixed JSON body (the same
// body AWP returns), with nothing else. Plain JavaScript, like the built AWP it is compared with.
import Koa from 'koa';

const body = JSON.parse(process.env.BODY ?? '{}');
const app = new Koa();
app.use(function bareJson(ctx) {
  ctx.body = body;
});
app.listen(Number(process.env.PORT), '127.0.0.1');
