// The inputs of speed.mjs and speed-ab.mjs, generated the same way every time: 1,000,000 returns
// for computeMetrics, and 1,000 strategies (a metric block and 1,440 returns each) with the policy
// that ranks and correlates them. xorshift, the same generator as examples/speed.rs.
let s = 0x9e3779b97f4a7c15n;
const next = () => {
  s ^= (s << 13n) & 0xffffffffffffffffn;
  s ^= s >> 7n;
  s ^= (s << 17n) & 0xffffffffffffffffn;
  return Number(s >> 11n) / 2 ** 53 - 0.5;
};

export const returns = new Float64Array(1_000_000);
for (let i = 0; i < returns.length; i++) returns[i] = next() * 0.02;

export const metrics = {};
export const series = {};
for (let i = 0; i < 1000; i++) {
  const id = `s${String(i).padStart(4, "0")}`;
  const r = new Float64Array(1440);
  for (let j = 0; j < r.length; j++) r[j] = next() * 0.01;
  metrics[id] = { sharpe: next() * 4, max_drawdown: -Math.abs(next()) };
  series[id] = r;
}

export const policyDoc = {
  thresholds: { dd: { metric: "max_drawdown", max: 0.45 } },
  top_k: { metric: "sharpe", k: 50 },
  correlation: { max: 0.2 },
};
