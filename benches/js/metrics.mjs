// Metrics on 1,000,000 samples in Node: worldgate's wasm through the package API, and the npm
// alternatives through their own APIs (no metric is implemented here: the only glue is the
// equity curve the drawdown functions of @railpath/finance-toolkit require as `prices`, timed
// with them). Prints one JSON line per contender.
import { measure, readF64, emit } from './timing.mjs';
import * as ss from 'simple-statistics';
import * as ft from '@railpath/finance-toolkit';

const pkg = process.env.WG_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const wg = await import(pkg);

const returns = readF64('returns-1m.f64');
const P = 252, RF = 0.02, LEVEL = 0.95;
const options = { periods_per_year: P, risk_free: RF, var_level: LEVEL, initial_capital: 10_000 };

// wasm
{
  const contender = process.env.WG_PKG ? 'wasm-o3' : 'wasm';
  const label = process.env.WG_PKG ? 'wasm opt-level 3 + wasm-opt -O3 (not shipped)' : 'worldgate wasm in Node (computeMetrics)';
  const values = wg.computeMetrics(returns, options);
  const timing = measure(() => wg.computeMetrics(returns, options));
  emit({ area: 'metrics', case: '1M', contender, label, timing, values });
}
if (process.env.WG_ONLY_WASM) process.exit(0);

// The libraries take number[] (zod validates arrays); converted once, outside the timing.
const arr = Array.from(returns);
// Per-period risk-free rate as worldgate de-annualises it, so the conventions match:
// the toolkit's Sharpe is (mean·P − rf) / (std·√P), hence rf = rf_pp·P.
const rfpp = Math.pow(1 + RF, 1 / P) - 1;

// @railpath/finance-toolkit: sharpe, volatility, sortino, max drawdown, calmar, historical VaR/CVaR
{
  const run = () => {
    const prices = new Array(arr.length + 1);
    prices[0] = 1;
    for (let i = 0; i < arr.length; i++) prices[i + 1] = prices[i] * (1 + arr[i]);
    const sharpe = ft.calculateSharpeRatio({ returns: arr, riskFreeRate: rfpp * P, annualizationFactor: P });
    const vol = ft.calculateVolatility(arr, { method: 'standard', annualizationFactor: P });
    const sortino = ft.calculateSortinoRatio({ returns: arr, riskFreeRate: rfpp * P, targetReturn: rfpp, annualizationFactor: P });
    const mdd = ft.calculateMaxDrawdown({ prices });
    const calmar = ft.calculateCalmarRatio({ prices, returns: arr, annualizationFactor: P });
    const hvar = ft.calculateHistoricalVaR(arr, LEVEL);
    return {
      sharpe: sharpe.sharpeRatio, volatility: vol.annualized, sortino: sortino.sortinoRatio,
      max_drawdown: -mdd.maxDrawdownPercent, calmar: calmar.calmarRatio, var: -hvar.value, cvar: -hvar.cvar,
    };
  };
  const values = run();
  const timing = measure(run);
  emit({ area: 'metrics', case: '1M', contender: 'js-finance-toolkit', label: '@railpath/finance-toolkit 0.5.4 (7 metrics)', timing, values: { returns: values } });
}

// simple-statistics: the floor of any JS approach, mean and sample standard deviation only
{
  const run = () => {
    const m = ss.mean(arr), s = ss.sampleStandardDeviation(arr);
    const ex = m - rfpp;
    return { sharpe: (ex / s) * Math.sqrt(P), volatility: s * Math.sqrt(P) };
  };
  const values = run();
  const timing = measure(run);
  emit({ area: 'metrics', case: '1M', contender: 'js-simple-statistics', label: 'simple-statistics 7.12.1 (mean + std only: sharpe, volatility)', timing, values: { returns: values } });
}
