// Starts the API like the bench (startChild) with a CPU profile, fires N sequential revenue requests.
import { benchEnv, startChild } from './lib/servers';
const N = Number(process.env.N ?? 3000);
async function main() {
  const url = 'postgres://postgres@127.0.0.1:5432/crescendo_bench_stats';
  const port = 4810;
  const child = await startChild(require.resolve('./stats-scale.ts'), 'api', port, benchEnv(url));
  const base = `http://127.0.0.1:${port}/api`;
  const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' }, body: JSON.stringify({ email: 'bench-stats@crescendo.test', password: 'bench password' }) });
  const auth = { authorization: `Bearer ${((await res.json()) as any).accessToken}` };
  const path = process.env.P ?? '/analytics/revenue?period=1y';
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const r = await fetch(base + path, { headers: auth });
    await r.arrayBuffer();
    times.push(performance.now() - t);
  }
  const s = times.slice(200).sort((a, b) => a - b);
  const q = (p: number) => s[Math.floor(p * s.length)].toFixed(2);
  console.log('p50', q(0.5), 'p90', q(0.9), 'p95', q(0.95), 'p99', q(0.99));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
main();
