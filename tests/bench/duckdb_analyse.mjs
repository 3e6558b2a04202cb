// duckdb_analyse.mjs: the analysis benchmark's comparison: DuckDB (2
// threads) computing, from its own database of a recruitment extract
// (loaded by duckdb_load.mjs), the counts of every result and trend row
// that `parity analyse` gives for a store holding only that extract:
//
//   node duckdb_analyse.mjs DB.duckdb PERIOD OUT.csv      (PERIOD: 2025/26)
//
// WRES 2 and WDES 2 overall and by organisation, pay band and staff group
// (with the pooled rows' totals), the appointment and shortlisting
// comparisons (each ethnic category against A, sex against M, age band
// against the largest; White/BME and disability for shortlisting; White/BME
// crossed with sex and with disability), and the trend of WRES 2 and WDES 2
// by financial year (overall, by organisation, pooled). DuckDB does the
// counting in one GROUPING SETS query; the script only pairs groups.
// Writes indicator,grouping,group1,group2,stratum_kind,stratum,period,
// x1,n1,x2,n2 rows; check_counts.py compares them with parity's output.
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [db, period, out] = process.argv.slice(2);
if (!db || !/^\d{4}\/\d{2}$/.test(period || '') || !out) {
  console.error('usage: node duckdb_analyse.mjs DB.duckdb 2025/26 OUT.csv');
  process.exit(64);
}
const year = Number(period.slice(0, 4));
const instance = await DuckDBInstance.create(db, { threads: '2', access_mode: 'READ_ONLY' });
const connection = await instance.connect();

// Financial year (April to March) of each row; White/BME and disability
// classes as DOMAIN.md defines them (Z, 99/X and empty are not stated).
const sql = `
with r as (
  select organisation as org, pay_band as band, staff_group as sg,
         ethnic_category as eth, sex, disability as dis, age_band as age,
         year(date) - (month(date) < 4)::int as fy,
         (shortlisted = 'Y')::int as sl, (appointed = 'Y')::int as ap,
         case when eth in ('A', 'B', 'C') then 'White'
              when eth in ('Z', '99', 'X', '') or eth is null then null
              else 'BME' end as wb,
         case dis when 'Y' then 'Disabled' when 'N' then 'Non-disabled' end as dc
  from extract)
select grouping(org, band, sg, eth, sex, dis, age, wb, dc) as g,
       fy, org, band, sg, eth, sex, dis, age, wb, dc,
       sum(ap)::bigint as ap, sum(sl)::bigint as sl, count(*)::bigint as apps
from r
group by grouping sets ((fy, org, wb, dc), (fy, band, wb, dc), (fy, sg, wb, dc),
                        (fy, eth, sex, dis), (fy, age))`;
const reader = await connection.runAndReadAll(sql);
const rows = reader.getRowObjects();
connection.closeSync();
instance.closeSync();

const out_rows = [];
const label = (y) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
const emit = (ind, grouping, g1, g2, kind, stratum, per, c) =>
  out_rows.push([ind, grouping, g1, g2, kind, stratum, per, c.x1, c.n1, c.x2, c.n2]);
const num = (v) => Number(v);

// The standard indicators: group 1 is White / Non-disabled (appointment is
// favourable), counts appointed over shortlisted.
const standard = [
  ['WRES2', 'white_bme', 'White', 'BME', 'wb'],
  ['WDES2', 'disability', 'Non-disabled', 'Disabled', 'dc'],
];
// grouping() bits, org first: which grouping set a row comes from.
const SET = { org: 252, band: 380, sg: 444, joint: 455, age: 507 };
const byStratum = (dim, fy, cls, g1, g2) => {
  const sums = new Map();
  for (const r of rows) {
    if (num(r.fy) !== fy || num(r.g) !== SET[dim]) continue;
    const key = r[dim] === null ? 'not recorded' : r[dim];
    if (!sums.has(key)) sums.set(key, { x1: 0, n1: 0, x2: 0, n2: 0 });
    const s = sums.get(key);
    if (r[cls] === g1) { s.x1 += num(r.ap); s.n1 += num(r.sl); }
    if (r[cls] === g2) { s.x2 += num(r.ap); s.n2 += num(r.sl); }
  }
  return sums;
};
const total = (sums) => {
  const t = { x1: 0, n1: 0, x2: 0, n2: 0 };
  for (const s of sums.values()) { t.x1 += s.x1; t.n1 += s.n1; t.x2 += s.x2; t.n2 += s.n2; }
  return t;
};
const years = [...new Set(rows.map((r) => num(r.fy)))].sort((a, b) => a - b);

for (const [ind, grouping, g1, g2, cls] of standard) {
  const orgs = byStratum('org', year, cls, g1, g2);
  emit(ind, grouping, g1, g2, 'overall', 'All organisations', period, total(orgs));
  for (const [k, s] of orgs) emit(ind, grouping, g1, g2, 'organisation', k, period, s);
  emit(ind, grouping, g1, g2, 'organisation', 'All organisations (pooled)', period, total(orgs));
  for (const [dim, kind, pooled] of [['band', 'pay_band', 'All pay bands (pooled)'],
                                     ['sg', 'staff_group', 'All staff groups (pooled)']]) {
    const sums = byStratum(dim, year, cls, g1, g2);
    for (const [k, s] of sums) emit(ind, grouping, g1, g2, kind, k, period, s);
    emit(ind, grouping, g1, g2, kind, pooled, period, total(sums));
  }
  for (const y of years) { // trend: a row set per financial year
    const o = byStratum('org', y, cls, g1, g2);
    if (!o.size) continue;
    emit(ind, grouping, g1, g2, 'overall', 'All organisations', `T${label(y)}`, total(o));
    for (const [k, s] of o) emit(ind, grouping, g1, g2, 'organisation', k, `T${label(y)}`, s);
    emit(ind, grouping, g1, g2, 'organisation', 'All organisations (pooled)', `T${label(y)}`, total(o));
  }
}

// Comparisons, overall, for appointment (x appointed, n shortlisted) and
// shortlisting (x shortlisted, n applications).
const joint = rows.filter((r) => num(r.fy) === year && num(r.g) === SET.joint);
const ages = rows.filter((r) => num(r.fy) === year && num(r.g) === SET.age);
const notStated = (v) => v === null || v === '' || v === 'Z' || v === '99' || v === 'X';
const wbOf = (e) => (notStated(e) ? null : ['A', 'B', 'C'].includes(e) ? 'White' : 'BME');
const dcOf = (d) => (d === 'Y' ? 'Disabled' : d === 'N' ? 'Non-disabled' : null);
for (const [measure, xOf, nOf] of [['appointment', (r) => num(r.ap), (r) => num(r.sl)],
                                    ['shortlisting', (r) => num(r.sl), (r) => num(r.apps)]]) {
  const compare = (grouping, cells, classOf, ref, cls) => {
    const c = { x1: 0, n1: 0, x2: 0, n2: 0 };
    for (const r of cells) {
      const k = classOf(r);
      if (k === ref) { c.x1 += xOf(r); c.n1 += nOf(r); }
      if (k === cls) { c.x2 += xOf(r); c.n2 += nOf(r); }
    }
    emit(measure, grouping, ref, cls, 'overall', 'All organisations', period, c);
  };
  const classes = (cells, classOf) =>
    [...new Set(cells.map(classOf).filter((k) => k !== null))].sort();
  const single = [['ethnic_category', joint, (r) => (notStated(r.eth) ? null : r.eth), 'A'],
                  ['sex', joint, (r) => (notStated(r.sex) ? null : r.sex), 'M'],
                  ['age_band', ages, (r) => (notStated(r.age) ? null : r.age), null]];
  for (const [grouping, cells, classOf, fixed] of single) {
    let ref = fixed;
    if (!ref) { // the largest base
      const base = new Map();
      for (const r of cells) {
        const k = classOf(r);
        if (k !== null) base.set(k, (base.get(k) || 0) + nOf(r));
      }
      for (const [k, b] of [...base].sort()) if (ref === null || b > base.get(ref)) ref = k;
    }
    for (const k of classes(cells, classOf)) if (k !== ref) compare(grouping, cells, classOf, ref, k);
  }
  if (measure === 'shortlisting') { // no standard indicator covers these
    compare('white_bme', joint, (r) => wbOf(r.eth), 'White', 'BME');
    compare('disability', joint, (r) => dcOf(r.dis), 'Non-disabled', 'Disabled');
  }
  for (const [grouping, other, refOther] of [['white_bme*sex', (r) => (notStated(r.sex) ? null : r.sex), 'M'],
                                              ['white_bme*disability', (r) => dcOf(r.dis), 'Non-disabled']]) {
    const key = (r) => (wbOf(r.eth) === null || other(r) === null ? null
                        : `${wbOf(r.eth)} ${other(r)}`);
    const ref = `White ${refOther}`;
    for (const k of classes(joint, key)) if (k !== ref) compare(grouping, joint, key, ref, k);
  }
}

writeFileSync(out, ['indicator,grouping,group1,group2,stratum_kind,stratum,period,x1,n1,x2,n2',
  ...out_rows.map((r) => r.join(','))].join('\n') + '\n');
console.log(`${out_rows.length} rows`);
