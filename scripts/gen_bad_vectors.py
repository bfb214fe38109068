#!/usr/bin/env python3
"""Writes tests/vectors/bad/<area>/*.json: bad bundles and policies, each with its expected error
code, grouped by area (syntax, non_finite, duplicates, limits, shape, ids, values, claims, policy).

Each vector: {"name", "kind": "bundle"|"policy", "input": <raw text> | "generate": [parts],
"expected_code", "expected_path"?, "dialect"?}. A generate part is {"text": s}, {"hex": "ff"},
{"repeat": s, "count": n}, or {"template": "\"k{i}\":0", "count": n, "join": ","} ({i} = 0..n-1);
the input is the concatenation of the parts' bytes (large cases are built at test time).
Rerun after editing: python3 scripts/gen_bad_vectors.py
"""
import json, os, re, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "vectors", "bad")
V = []
AREA = "syntax"  # the folder of the vectors added next (set at each section below)

def add(name, expected, text=None, gen=None, kind="bundle", path=None, **extra):
    v = {"name": name, "kind": kind}
    v["_area"] = AREA
    if text is not None:
        v["input"] = text
    else:
        v["generate"] = gen
    v["expected_code"] = expected
    if path is not None:
        v["expected_path"] = path
    v.update(extra)
    V.append(v)

def b(subs=None, **top):
    d = {"bundle_version": 1, "world_id": "alpha_world",
         "submissions": subs if subs is not None else [{"strategy_id": "s1", "returns": [0.01, -0.02, 0.015]}]}
    d.update(top)
    return json.dumps(d)

def sub(**kw):
    d = {"strategy_id": "s1", "returns": [0.01, -0.02, 0.015]}
    d.update(kw)
    return d

good = b()

# --- syntax: E_PARSE ------------------------------------------------------------------------
AREA = "syntax"
add("empty_input", "E_PARSE", "")
add("whitespace_only", "E_PARSE", "  \n\t ")
for cut in [1, 10, 25, 40, len(good) - 20, len(good) - 1]:
    add(f"truncated_at_{cut}", "E_PARSE", good[:cut])
add("truncated_inside_string", "E_PARSE", '{"bundle_version":1,"world_id":"alp')
add("truncated_after_escape", "E_PARSE", '{"world_id":"a\\')
add("trailing_data", "E_PARSE", good + " {}")
add("trailing_garbage_text", "E_PARSE", good + "x")
add("two_documents", "E_PARSE", good + "\n" + good)
add("trailing_comma_in_array", "E_PARSE", '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[1,2,]}]}')
add("trailing_comma_in_object", "E_PARSE", '{"bundle_version":1,"world_id":"w",}')
add("missing_comma", "E_PARSE", '{"bundle_version":1 "world_id":"w"}')
add("missing_colon", "E_PARSE", '{"bundle_version" 1}')
add("single_quoted_strings", "E_PARSE", "{'bundle_version':1}")
add("unquoted_keys", "E_PARSE", "{bundle_version:1}")
add("line_comment", "E_PARSE", '{"bundle_version":1 // one\n}')
add("block_comment", "E_PARSE", '{/* c */"bundle_version":1}')
add("leading_zero_number", "E_PARSE", '{"bundle_version":01}')
add("leading_plus_number", "E_PARSE", '{"bundle_version":+1}') if False else None
add("bare_decimal_point", "E_PARSE", '{"x":[.5]}')
add("dangling_decimal_point", "E_PARSE", '{"x":[5.]}')
add("empty_exponent", "E_PARSE", '{"x":[1e]}')
add("hex_number", "E_PARSE", '{"x":[0x10]}')
add("unescaped_control_char", "E_PARSE", '{"world_id":"a\tb"}')
add("unescaped_newline_in_string", "E_PARSE", '{"world_id":"a\nb"}')
add("invalid_escape", "E_PARSE", '{"world_id":"a\\qb"}')
add("short_unicode_escape", "E_PARSE", '{"world_id":"\\u12"}')
add("lone_high_surrogate", "E_PARSE", '{"world_id":"\\ud800"}')
add("lone_low_surrogate", "E_PARSE", '{"world_id":"\\udc00x"}')
add("high_surrogate_then_letter", "E_PARSE", '{"world_id":"\\ud83dx"}')
add("invalid_utf8_byte", "E_PARSE", gen=[{"text": '{"world_id":"a'}, {"hex": "ff"}, {"text": '"}'}])
add("overlong_utf8", "E_PARSE", gen=[{"text": '{"world_id":"'}, {"hex": "c0af"}, {"text": '"}'}])
add("truncated_utf8_sequence", "E_PARSE", gen=[{"text": '{"world_id":"'}, {"hex": "e282"}, {"text": '"}'}])
add("utf16_bytes", "E_PARSE", gen=[{"hex": "fffe7b00"}])
add("utf8_bom", "E_PARSE", gen=[{"hex": "efbbbf"}, {"text": good}])
add("misspelled_true", "E_PARSE", '{"x":tru}')
add("capitalized_null", "E_PARSE", '{"x":Null}')

# --- non-finite: E_NOT_FINITE ---------------------------------------------------------------
AREA = "non_finite"
def ret(lit):
    return '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.01,%s]}]}' % lit
add("nan_literal_in_returns", "E_NOT_FINITE", ret("NaN"), path="/submissions/0/returns/1")
add("infinity_literal_in_returns", "E_NOT_FINITE", ret("Infinity"), path="/submissions/0/returns/1")
add("negative_infinity_literal", "E_NOT_FINITE", ret("-Infinity"), path="/submissions/0/returns/1")
add("plus_infinity_literal", "E_NOT_FINITE", ret("+Infinity"))
add("overflowing_number", "E_NOT_FINITE", ret("1e400"), path="/submissions/0/returns/1")
add("overflowing_negative_number", "E_NOT_FINITE", ret("-1.8e308"), path="/submissions/0/returns/1")
add("huge_integer_digits", "E_NOT_FINITE", gen=[{"text": ret("")[:-4]}, {"repeat": "9", "count": 400}, {"text": "]}]}"}])
add("inf_string_in_returns", "E_NOT_FINITE", ret('"+inf"'), path="/submissions/0/returns/1")
add("neg_inf_string_in_equity", "E_NOT_FINITE", b([sub(equity=[1, "-inf"])]), path="/submissions/0/equity/1")
add("nan_in_claimed_sharpe", "E_NOT_FINITE", '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","metrics":{"returns":{"sample_count":3,"sharpe":NaN}}}]}')
add("periods_per_year_overflow", "E_NOT_FINITE", '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"periods_per_year":2e308}]}')

# --- duplicates: E_DUPLICATE_KEY ------------------------------------------------------------
AREA = "duplicates"
add("duplicate_top_level_key", "E_DUPLICATE_KEY", '{"bundle_version":1,"world_id":"a","world_id":"b","submissions":[]}', path="/world_id")
add("duplicate_key_in_submission", "E_DUPLICATE_KEY", '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"returns":[0.2]}]}', path="/submissions/0/returns")
add("duplicate_key_in_meta", "E_DUPLICATE_KEY", '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"meta":{"a":1,"b":2,"a":3}}]}', path="/submissions/0/meta/a")
add("duplicate_metric_in_claimed_block", "E_DUPLICATE_KEY", '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","metrics":{"returns":{"sample_count":3,"sharpe":1,"sharpe":9}}}]}', path="/submissions/0/metrics/returns/sharpe")
add("duplicate_key_differing_by_escape", "E_DUPLICATE_KEY", '{"bundle_version":1,"world_id":"w","world\\u005fid":"x"}', path="/world_id")
add("duplicate_empty_key", "E_DUPLICATE_KEY", '{"meta":{"":1,"":2}}', path="/meta/")

# --- limits: E_TOO_LARGE --------------------------------------------------------------------
AREA = "limits"
add("nesting_10000_arrays", "E_TOO_LARGE", gen=[{"repeat": "[", "count": 10000}, {"repeat": "]", "count": 10000}])
add("nesting_10000_objects", "E_TOO_LARGE", gen=[{"repeat": '{"a":', "count": 10000}, {"text": "1"}, {"repeat": "}", "count": 10000}])
add("nesting_10000_unclosed", "E_TOO_LARGE", gen=[{"repeat": "[", "count": 10000}])
add("nesting_65_in_meta", "E_TOO_LARGE", gen=[{"text": '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"meta":'}, {"repeat": "[", "count": 62}, {"repeat": "]", "count": 62}, {"text": "}]}"}])
add("string_100_mb", "E_TOO_LARGE", gen=[{"text": '{"bundle_version":1,"world_id":"w","meta":{"x":"'}, {"repeat": "a", "count": 100_000_000}, {"text": '"},"submissions":[{"strategy_id":"s","returns":[0.1]}]}'}])
add("string_70_kb_in_meta", "E_TOO_LARGE", gen=[{"text": '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"meta":{"note":"'}, {"repeat": "x", "count": 70_000}, {"text": '"}}]}'}], path="/submissions/0/meta/note")
add("key_70_kb", "E_TOO_LARGE", gen=[{"text": '{"meta":{"'}, {"repeat": "k", "count": 70_000}, {"text": '":1}}'}])
add("escaped_string_over_limit", "E_TOO_LARGE", gen=[{"text": '{"meta":{"x":"'}, {"repeat": "\\n", "count": 66_000}, {"text": '"}}'}])
add("document_17_mb_of_whitespace", "E_TOO_LARGE", gen=[{"text": good}, {"repeat": " ", "count": 17 * 1024 * 1024}])
add("series_2_000_001_samples", "E_TOO_LARGE", gen=[{"text": '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":['}, {"repeat": "0,", "count": 2_000_000}, {"text": "0]}]}"}], path="/submissions/0/returns")
add("submissions_1001", "E_TOO_LARGE", gen=[{"text": '{"bundle_version":1,"world_id":"w","submissions":['}, {"template": '{"strategy_id":"s{i}","returns":[0.01]}', "count": 1001, "join": ","}, {"text": "]}"}], path="/submissions")
add("meta_with_10001_keys", "E_TOO_LARGE", gen=[{"text": '{"bundle_version":1,"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1],"meta":{'}, {"template": '"k{i}":0', "count": 10001, "join": ","}, {"text": "}}]}"}], path="/submissions/0/meta")

# --- shape: E_SCHEMA ------------------------------------------------------------------------
AREA = "shape"
add("top_level_array", "E_SCHEMA", "[]")
add("top_level_string", "E_SCHEMA", '"bundle"')
add("top_level_number", "E_SCHEMA", "1")
add("top_level_null", "E_SCHEMA", "null")
add("missing_bundle_version", "E_SCHEMA", '{"world_id":"w","submissions":[{"strategy_id":"s","returns":[0.1]}]}')
add("missing_world_id", "E_SCHEMA", '{"bundle_version":1,"submissions":[{"strategy_id":"s","returns":[0.1]}]}')
add("missing_submissions", "E_SCHEMA", '{"bundle_version":1,"world_id":"w"}')
add("missing_strategy_id", "E_SCHEMA", b([{"returns": [0.1]}]))
add("bundle_version_as_string", "E_SCHEMA", b(bundle_version="1"), path="/bundle_version")
add("bundle_version_2", "E_SCHEMA", b(bundle_version=2), path="/bundle_version")
add("bundle_version_fractional", "E_SCHEMA", b(bundle_version=1.5), path="/bundle_version")
add("bundle_version_negative", "E_SCHEMA", b(bundle_version=-1), path="/bundle_version")
add("world_id_number", "E_SCHEMA", b(world_id=7), path="/world_id")
add("submissions_object", "E_SCHEMA", b(subs={"strategy_id": "s"}), path="/submissions")
add("submissions_empty", "E_SCHEMA", b(subs=[]), path="/submissions")
add("submission_not_object", "E_SCHEMA", b(subs=["s1"]), path="/submissions/0")
add("unknown_top_level_field", "E_SCHEMA", b(world="w"), path="/world")
add("misspelled_returns_field", "E_SCHEMA", b([{"strategy_id": "s", "retruns": [0.1]}]), path="/submissions/0/retruns")
add("returns_string", "E_SCHEMA", b([sub(returns="0.1,0.2")]), path="/submissions/0/returns")
add("returns_booleans", "E_SCHEMA", b([sub(returns=[True])]), path="/submissions/0/returns/0")
add("returns_null_sample", "E_SCHEMA", b([sub(returns=[0.1, None])]), path="/submissions/0/returns/1")
add("returns_bad_nonfinite_spelling", "E_SCHEMA", b([sub(returns=[0.1, "inf"])]), path="/submissions/0/returns/1")
add("returns_nested_arrays", "E_SCHEMA", b([sub(returns=[[0.1]])]), path="/submissions/0/returns/0")
add("returns_numeric_string", "E_SCHEMA", b([sub(returns=["0.1"])]), path="/submissions/0/returns/0")
add("claimed_sharpe_string", "E_SCHEMA", b([{"strategy_id": "s", "metrics": {"returns": {"sample_count": 3, "sharpe": "high"}}}]), path="/submissions/0/metrics/returns/sharpe")
add("claimed_negative_sample_count", "E_SCHEMA", b([{"strategy_id": "s", "metrics": {"returns": {"sample_count": -1}}}]), path="/submissions/0/metrics/returns/sample_count")
add("claimed_unknown_metric", "E_SCHEMA", b([{"strategy_id": "s", "metrics": {"returns": {"sample_count": 3, "sharpee": 1}}}]), path="/submissions/0/metrics/returns/sharpee")
add("meta_array", "E_SCHEMA", b([sub(meta=[1, 2])]), path="/submissions/0/meta")
add("storage_refs_string", "E_SCHEMA", b([sub(storage_refs="s3://b/x")]), path="/submissions/0/storage_refs")
add("periods_per_year_string", "E_SCHEMA", b([sub(periods_per_year="252")]), path="/submissions/0/periods_per_year")
add("stage_number", "E_SCHEMA", b([sub(stage=3)]), path="/submissions/0/stage")
add("no_returns_no_metrics", "E_SCHEMA", b([{"strategy_id": "s", "meta": {"a": 1}}]), path="/submissions/0")

# --- ids: E_ID_INVALID ----------------------------------------------------------------------
AREA = "ids"
ids = {
    "empty": "", "dot": ".", "dotdot": "..", "traversal_parent": "../etc/passwd",
    "traversal_nested": "a/../../b", "slash": "a/b", "backslash": "a\\b",
    "windows_traversal": "..\\..\\windows", "leading_dot": ".hidden", "space": "alpha world",
    "too_long_129": "x" * 129, "rtl_override": "alpha\u202eplh", "zero_width_space": "al\u200bpha",
    "zero_width_joiner": "al\u200dpha", "bom_inside": "\ufeffalpha", "cyrillic_a_homoglyph": "\u0430lpha",
    "greek_omicron_homoglyph": "m\u03bfmentum", "fullwidth_letters": "\uff41lpha", "nul_byte": "a\u0000b",
    "newline": "a\nb", "tab": "a\tb", "percent_encoded_dots": "%2e%2e", "url": "http://x",
    "emoji": "rocket\U0001f680", "combining_accent": "e\u0301", "non_breaking_space": "a\u00a0b",
    "asterisk_glob": "s*", "shell_metachar": "s;rm",
}
for k, v in ids.items():
    add(f"world_id_{k}", "E_ID_INVALID", b(world_id=v), path="/world_id")
for k in ["dotdot", "traversal_parent", "rtl_override", "zero_width_space", "cyrillic_a_homoglyph", "nul_byte", "slash"]:
    add(f"strategy_id_{k}", "E_ID_INVALID", b([sub(strategy_id=ids[k])]), path="/submissions/0/strategy_id")
for k in ["dot", "traversal_nested", "leading_dot", "too_long_129", "bom_inside"]:
    add(f"run_id_{k}", "E_ID_INVALID", b([sub(run_id=ids[k])]), path="/submissions/0/run_id")

# --- values: E_INVALID_VALUE ----------------------------------------------------------------
AREA = "values"
add("periods_per_year_zero", "E_INVALID_VALUE", b([sub(periods_per_year=0)]), path="/submissions/0/periods_per_year")
add("periods_per_year_negative", "E_INVALID_VALUE", b([sub(periods_per_year=-252)]), path="/submissions/0/periods_per_year")
add("initial_capital_zero", "E_INVALID_VALUE", b([sub(initial_capital=0)]), path="/submissions/0/initial_capital")
add("strategy_submitted_twice", "E_INVALID_VALUE", b([sub(), sub()]), path="/submissions/1/strategy_id")

# --- claimed metrics that lie: E_METRICS_MISMATCH (the gate recomputes) ---------------------
AREA = "claims"
r = [0.01, -0.02, 0.015, 0.003, -0.004]
def lie(block, **m):
    blk = {"sample_count": len(r)}
    blk.update(m)
    return b([sub(returns=r, metrics={block: blk})])
add("claimed_sharpe_lies", "E_METRICS_MISMATCH", lie("returns", sharpe=5.0), path="/submissions/0/metrics/returns/sharpe")
add("claimed_max_drawdown_lies", "E_METRICS_MISMATCH", lie("returns", max_drawdown=-0.001), path="/submissions/0/metrics/returns/max_drawdown")
add("claimed_max_drawdown_wrong_sign", "E_METRICS_MISMATCH", lie("returns", max_drawdown=0.02), path="/submissions/0/metrics/returns/max_drawdown")
add("claimed_volatility_lies", "E_METRICS_MISMATCH", lie("returns", volatility=0.01), path="/submissions/0/metrics/returns/volatility")
add("claimed_win_rate_lies", "E_METRICS_MISMATCH", lie("returns", win_rate=0.9), path="/submissions/0/metrics/returns/win_rate")
add("claimed_profit_factor_infinite", "E_METRICS_MISMATCH", lie("returns", profit_factor="+inf"), path="/submissions/0/metrics/returns/profit_factor")
add("claimed_sample_count_lies", "E_METRICS_MISMATCH", b([sub(returns=r, metrics={"returns": {"sample_count": 500}})]), path="/submissions/0/metrics/returns/sample_count")
add("claimed_sharpe_where_undefined", "E_METRICS_MISMATCH", b([sub(returns=[0.01], metrics={"returns": {"sample_count": 1, "sharpe": 2.0}})]), path="/submissions/0/metrics/returns/sharpe")

# --- policies (kind "policy"; dialect strict unless stated) ----------------------------------
AREA = "policy"
def pol(name, expected, text, dialect="strict", path=None, **extra):
    add("policy_" + name, expected, text, kind="policy", path=path, dialect=dialect, **extra)

pol("empty", "E_PARSE", "")
pol("whitespace_only", "E_PARSE", "  \n")
pol("truncated_json", "E_PARSE", '{"thresholds": {')
pol("yaml_tab_indent", "E_PARSE", "thresholds:\n\t s: 1\n")
pol("yaml_bad_indent", "E_PARSE", "top_k:\n  metric: sharpe\n k: 3\n")
pol("nan_literal_json", "E_NOT_FINITE", '{"correlation": {"max": NaN}}', path="/correlation/max")
pol("infinity_literal_json_qmtl", "E_NOT_FINITE", '{"correlation": {"max": -Infinity}}', dialect="qmtl", path="/correlation/max")
pol("nesting_10000_json_objects", "E_TOO_LARGE", '{"a":' * 10000 + "1" + "}" * 10000)
pol("nesting_10000_json", "E_PARSE", "[" * 10000 + "]" * 10000)
pol("nesting_10000_yaml_flow", "E_PARSE", "a: " + "[" * 10000)
pol("unknown_key_strict", "E_POLICY_INVALID", '{"treshold": {}}', path="/treshold")
pol("top_k_zero", "E_POLICY_INVALID", '{"top_k": {"metric": "sharpe", "k": 0}}', path="/top_k/k")
pol("top_k_zero_qmtl", "E_POLICY_INVALID", '{"top_k": {"metric": "sharpe", "k": 0}}', dialect="qmtl", path="/top_k/k")
pol("top_k_negative", "E_POLICY_INVALID", '{"top_k": {"metric": "sharpe", "k": -1}}', path="/top_k/k")
pol("top_k_fractional", "E_POLICY_INVALID", '{"top_k": {"metric": "sharpe", "k": 1.5}}', path="/top_k/k")
pol("top_k_string_strict", "E_POLICY_INVALID", '{"top_k": {"metric": "sharpe", "k": "3"}}', path="/top_k/k")
pol("top_k_huge", "E_POLICY_INVALID", '{"top_k": {"metric": "sharpe", "k": 1e300}}', path="/top_k/k")
pol("top_k_empty_metric", "E_POLICY_INVALID", '{"top_k": {"metric": "", "k": 3}}', path="/top_k/metric")
pol("correlation_above_one", "E_POLICY_INVALID", '{"correlation": {"max": 1.5}}', path="/correlation/max")
pol("correlation_nan_yaml", "E_POLICY_INVALID", "correlation: {max: .nan}\n", path="/correlation/max")
pol("correlation_inf_yaml_qmtl", "E_POLICY_INVALID", "correlation: {max: .inf}\n", dialect="qmtl", path="/correlation/max")
pol("threshold_min_above_max", "E_POLICY_INVALID", '{"thresholds": {"s": {"metric": "sharpe", "min": 2, "max": 1}}}', path="/thresholds/s")
pol("threshold_missing_metric", "E_POLICY_INVALID", '{"thresholds": {"s": {"min": 2}}}', path="/thresholds/s/metric")
pol("threshold_min_string", "E_POLICY_INVALID", '{"thresholds": {"s": {"metric": "sharpe", "min": "high"}}}', path="/thresholds/s/min")
pol("hysteresis_exit_above_enter", "E_POLICY_INVALID", '{"hysteresis": {"metric": "sharpe", "enter": 0.2, "exit": 0.5}}', path="/hysteresis/exit")
pol("top_level_array", "E_POLICY_INVALID", "[1,2]", path="")
pol("top_level_number", "E_POLICY_INVALID", "42", path="")
pol("unknown_dialect", "E_POLICY_INVALID", '{"dialect": "loose"}', path="/dialect")
pol("selection_top_k_number", "E_POLICY_INVALID", '{"selection": {"top_k": 5}}', path="/selection/top_k")
pol("on_missing_metric_unknown", "E_POLICY_INVALID", '{"validation": {"on_missing_metric": "ignore_silently"}}', path="/validation/on_missing_metric")
pol("stage_maps_to_unknown_profile", "E_POLICY_INVALID", '{"default_profile_by_stage": {"backtest": "nope"}}', path="/default_profile_by_stage/backtest")
pol("duplicate_key_yaml", "E_DUPLICATE_KEY", "top_k: {metric: sharpe, k: 3}\ntop_k: {metric: sharpe, k: 4}\n", path="/top_k")
pol("duplicate_key_json", "E_DUPLICATE_KEY", '{"top_k": {"metric": "sharpe", "k": 3}, "top_k": {"metric": "sharpe", "k": 4}}',
    path="/top_k")
# QMTL's Python json.loads would keep the last value; worldgate refuses in both dialects.
pol("duplicate_key_json_qmtl", "E_DUPLICATE_KEY", '{"top_k": {"metric": "sharpe", "k": 3}, "top_k": {"metric": "sharpe", "k": 4}}',
    dialect="qmtl", path="/top_k")
pol("duplicate_key_json_nested", "E_DUPLICATE_KEY", '{"thresholds": {"s": {"metric": "sharpe", "min": 1, "min": 0}}}',
    path="/thresholds/s/min")
pol("yaml_alias_bomb", "E_TOO_LARGE",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
    path="/f/0")
pol("yaml_alias_bomb_qmtl", "E_TOO_LARGE",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
    dialect="qmtl", path="/f/0")
pol("yaml_alias_bomb_of_mappings", "E_TOO_LARGE",
    "a: &a {p: 1, q: 2, r: 3, s: 4, t: 5, u: 6, v: 7, w: 8}\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} {{{', '.join(f'k{j}: *{chr(97 + i)}' for j in range(8))}}}\n" for i in range(8)))
# 16 MiB of text: key a + 60,000 + key b = 60,002 bytes, then 60,000 per alias: the 279th
# alias (index 278) makes 60,002 + 279 × 60,000 = 16,800,002 > 16,777,216.
pol("yaml_alias_bomb_long_string", "E_TOO_LARGE",
    "a: &a \"" + "x" * 60000 + "\"\nb: [" + ",".join(["*a"] * 300) + "]\n", path="/b/278")
pol("yaml_nesting_65_flow", "E_TOO_LARGE", "a: " + "[" * 64 + "]" * 64 + "\n")
pol("yaml_nesting_10000_block", "E_TOO_LARGE", "a:\n  " + "- " * 10000 + "x\n")
pol("yaml_alias_nests_past_limit", "E_TOO_LARGE",
    "a: &d " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 39 + "*d" + "]" * 39 + "\n")

os.makedirs(ROOT, exist_ok=True)
for dirpath, _, files in os.walk(ROOT):
    for f in files:
        if f.endswith(".json"):
            os.remove(os.path.join(dirpath, f))
names = set()
for v in V:
    assert re.fullmatch(r"[a-z0-9_]+", v["name"]), v["name"]
    assert v["name"] not in names, v["name"]
    names.add(v["name"])
    area = v.pop("_area")
    os.makedirs(os.path.join(ROOT, area), exist_ok=True)
    with open(os.path.join(ROOT, area, v["name"] + ".json"), "w") as fh:
        json.dump(v, fh, indent=1, ensure_ascii=True)
        fh.write("\n")
print(len(V), "vectors:", sum(v["kind"] == "bundle" for v in V), "bundles,", sum(v["kind"] == "policy" for v in V), "policies")
