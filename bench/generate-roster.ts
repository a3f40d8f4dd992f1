// Synthetic roster for the benchmarks: N officers with realistic proportions, loaded straight
// into PostgreSQL with COPY FROM STDIN (one stream per table, FK triggers off for the load:
// the data is consistent by construction). Seeded and reproducible: every officer draws from
// its own small PRNG seeded by (seed, index), so the output does not depend on chunking.
//
//   tsx bench/generate-roster.ts --officers 100000 --database postgresql://postgres@127.0.0.1/sro_bench --seed 1
//
// With --csv DIR and/or --json FILE it also writes the roster it loaded out as a roster
// folder (INTERFACE.md "Roster: CSV folder") and as one JSON file, streamed from the
// database by COPY … TO STDOUT (bench/export-roster.ts; what bench/import.ts imports):
//
//   tsx bench/generate-roster.ts --officers 100000 --database … --csv /tmp/roster-100k --json /tmp/roster-100k.json
//
// Proportions (as of --as-of, default 2026-02-02, school year 2025-07-01 – 2026-06-30):
//   10 % substitutes (SUBSTITUTE assignments, 20–70 contact days this school year),
//   30 % legacy-trained (LEGACY_BASIC_SSC/NASRO before 2025-09-01; a quarter of them since
//        took SRO_MANDATED or SRO_SUPPLEMENTAL),
//   10 % in grace (REGULAR from 2025-09-01 on, trainingUnavailable),
//   the rest REGULAR: ~70 % compliant with SRO_MANDATED (1 in 8 without the certificate on
//        file), ~12 % no longer serving, the others untrained (due or overdue).
// Agencies of 5–300 officers; officers serve 1–3 districts; most have a policy review.
import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { applyMigrations } from '../src/db/migrate.ts';
import type { CivilDate } from '../src/domain/civil-date.ts';
import { isLegalHoliday } from '../src/domain/holidays.ts';
import { exportRoster } from './export-roster.ts';
import { BENCH_AS_OF, intArg, isMain, parseArgs } from './support.ts';

/** mulberry32: 32-bit state, good enough for synthetic data, fast. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// Civil dates as day numbers since 2000-01-01 (UTC arithmetic, no time zone involved).
const EPOCH = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - EPOCH) / DAY_MS);
const DATE_TEXT: string[] = [];
for (let d = 0; d <= dayOf('2031-12-31'); d++) DATE_TEXT.push(new Date(EPOCH + d * DAY_MS).toISOString().slice(0, 10));
const text = (day: number) => DATE_TEXT[day]!;
const isWeekday = (day: number) => {
  const w = (day + 5) % 7; // Monday = 0: 2000-01-01 (day 0) was a Saturday → w = 5
  return w < 5;
};

const FIRST = [
  'James',
  'Maria',
  'Robert',
  'Linda',
  'Michael',
  'Ana',
  'David',
  'Sarah',
  'Ahmed',
  'Mai',
  'Jose',
  'Emily',
  'Daniel',
  'Fatima',
  'Kevin',
  'Laura',
];
const LAST = [
  'Johnson',
  'Nguyen',
  'Anderson',
  'Hernandez',
  'Olson',
  'Vang',
  'Peterson',
  'Hassan',
  'Larson',
  'Garcia',
  'Thao',
  'Nelson',
  'Lee',
  'Schmidt',
  'Ali',
  'Hanson',
];

export interface GenerateOptions {
  officers: number;
  databaseUrl: string;
  seed: number;
  asOf?: string;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

export interface GenerateResult {
  officers: number;
  agencies: number;
  districts: number;
  rows: Record<string, number>;
  totalRows: number;
  ms: number;
  rowsPerSecond: number;
}

interface Stream {
  table: string;
  client: pg.Client;
  copy: Writable;
  done: Promise<void>;
  rows: number;
}

async function openCopy(databaseUrl: string, table: string, columns: string): Promise<Stream> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // Benchmark load into a fresh database: skip per-row FK trigger checks (as pg_restore
  // --disable-triggers does); every reference is generated from the same tables.
  await client.query(`SET session_replication_role = replica`);
  await client.query('BEGIN');
  const copy = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  return { table, client, copy, done, rows: 0 };
}

async function write(s: Stream, chunk: string): Promise<void> {
  if (!chunk) return;
  // Back-pressure: wait for 'drain'. A COPY error rejects `s.done` (its own listener), so
  // no error listener is added per wait.
  if (!s.copy.write(chunk)) await Promise.race([new Promise<void>((resolve) => s.copy.once('drain', resolve)), s.done]);
}

async function finish(s: Stream): Promise<void> {
  s.copy.end();
  await s.done;
  await s.client.query('COMMIT');
  await s.client.end();
}

export async function generateRoster(options: GenerateOptions): Promise<GenerateResult> {
  const { officers: n, databaseUrl, seed } = options;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const asOf = dayOf(options.asOf ?? BENCH_AS_OF);
  const started = performance.now();
  const rng = mulberry32(mix(seed, -1));

  // School year containing asOf (starts 07-01) and its school days so far (+30 scheduled).
  const asOfYear = Number(text(asOf).slice(0, 4));
  const syStartYear = text(asOf).slice(5) >= '07-01' ? asOfYear : asOfYear - 1;
  const schoolStart = dayOf(`${syStartYear}-09-02`);
  const schoolDays: number[] = [];
  // School days: weekdays that are not legal holidays (an import refuses others, RULES.md 9).
  for (let d = schoolStart; d <= Math.min(asOf + 30, dayOf(`${syStartYear + 1}-06-05`)); d++)
    if (isWeekday(d) && !isLegalHoliday(text(d) as CivilDate)) schoolDays.push(d);
  const mandate = dayOf('2025-09-01');

  // Agencies of 5–300 officers (most small: size = 5 + 295·u³, mean ≈ 79).
  const agencySizes: number[] = [];
  for (let left = n; left > 0;) {
    let size = 5 + Math.floor(295 * rng() ** 3);
    if (left - size < 5) size = left;
    agencySizes.push(size);
    left -= size;
  }
  const agencyOf = new Int32Array(n);
  for (let a = 0, i = 0; a < agencySizes.length; a++) for (let k = 0; k < agencySizes[a]!; k++) agencyOf[i++] = a;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = agencyOf[i]!;
    agencyOf[i] = agencyOf[j]!;
    agencyOf[j] = t;
  }
  const districtCount = Math.max(5, Math.round(n / 40));
  const agencyId = (a: number) => `AG${String(a).padStart(6, '0')}`;
  const districtId = (d: number) => `ISD${String(d).padStart(6, '0')}`;

  const streams = await Promise.all([
    openCopy(databaseUrl, 'agency', 'id, name, chief_name, chief_email, escalation_emails'),
    openCopy(databaseUrl, 'district', 'id, name, kind'),
    openCopy(databaseUrl, 'district_contact', 'district_id, name, email, role'),
    openCopy(databaseUrl, 'officer', 'license, first_name, last_name, email, agency_id'),
    openCopy(
      databaseUrl,
      'assignment',
      'license, district_id, school, role, start_date, end_date, training_unavailable',
    ),
    openCopy(databaseUrl, 'training', 'license, kind, completed_on, certificate_on_file, course_number, provider'),
    openCopy(databaseUrl, 'policy_review', 'license, agency_id, reviewed_on'),
    openCopy(databaseUrl, 'contact_day', 'license, district_id, date'),
  ]);
  const [sAgency, sDistrict, sContact, sOfficer, sAssignment, sTraining, sReview, sDay] = streams as [
    Stream,
    Stream,
    Stream,
    Stream,
    Stream,
    Stream,
    Stream,
    Stream,
  ];
  try {
    // Directory: 2 % of agencies have no chief e-mail, 3 % of districts no PRIMARY contact.
    let buf = '';
    for (let a = 0; a < agencySizes.length; a++) {
      const id = agencyId(a);
      const chief = rng() < 0.98 ? `chief@${id.toLowerCase()}.mn.example` : '\\N';
      const esc = rng() < 0.3 ? `{sheriff-office@${id.toLowerCase()}.mn.example}` : '{}';
      buf += `${id}\t${id} Police Department\tChief ${LAST[a % LAST.length]}\t${chief}\t${esc}\n`;
      sAgency.rows++;
    }
    await write(sAgency, buf);
    let dBuf = '';
    let cBuf = '';
    for (let d = 0; d < districtCount; d++) {
      const id = districtId(d);
      const charter = rng() < 0.25;
      dBuf += `${id}\t${charter ? 'Charter School' : 'Independent School District'} ${d}\t${charter ? 'CHARTER' : 'DISTRICT'}\n`;
      sDistrict.rows++;
      if (rng() < 0.97) {
        cBuf += `${id}\tPrincipal ${d}\tprincipal@${id.toLowerCase()}.k12.example\tPRIMARY\n`;
        sContact.rows++;
      }
      if (rng() < 0.6) {
        cBuf += `${id}\tSuperintendent ${d}\tsuperintendent@${id.toLowerCase()}.k12.example\tESCALATION\n`;
        sContact.rows++;
      }
    }
    await Promise.all([write(sDistrict, dBuf), write(sContact, cBuf)]);

    const CHUNK = 5000;
    for (let from = 0; from < n; from += CHUNK) {
      let o = '';
      let as = '';
      let tr = '';
      let rv = '';
      let cd = '';
      for (let i = from; i < Math.min(n, from + CHUNK); i++) {
        const r = mulberry32(mix(seed, i));
        const license = `L${String(i).padStart(8, '0')}`;
        const agency = agencyId(agencyOf[i]!);
        const first = FIRST[Math.floor(r() * FIRST.length)]!;
        const last = LAST[Math.floor(r() * LAST.length)]!;
        o += `${license}\t${first}\t${last}\t${r() < 0.8 ? `${first.toLowerCase()}.${i}@police.example` : '\\N'}\t${agency}\n`;
        sOfficer.rows++;

        // 1–3 distinct districts.
        const k = r() < 0.7 ? 1 : r() < 0.73 ? 2 : 3;
        const districts: number[] = [];
        while (districts.length < k) {
          const d = Math.floor(r() * districtCount);
          if (!districts.includes(d)) districts.push(d);
        }
        const kind = r();
        let role = 'REGULAR';
        let start: number;
        let end: number | null = null;
        let unavailable = false;
        if (kind < 0.1) {
          // Substitute: 20–70 contact days in this school year, spread over its school days.
          role = 'SUBSTITUTE';
          start = dayOf('2024-08-15') + Math.floor(r() * 380);
          unavailable = r() < 0.3;
          const days = 20 + Math.floor(r() * 51);
          const picked = new Set<number>();
          while (picked.size < Math.min(days, schoolDays.length))
            picked.add(schoolDays[Math.floor(r() * schoolDays.length)]!);
          for (const day of picked) {
            cd += `${license}\t${districtId(districts[Math.floor(r() * districts.length)]!)}\t${text(day)}\n`;
            sDay.rows++;
          }
        } else if (kind < 0.4) {
          // Legacy-trained before the mandate.
          start = dayOf('2012-01-01') + Math.floor(r() * (mandate - dayOf('2012-01-01')));
          const legacyOn = Math.min(mandate - 1, start + Math.floor(r() * 900));
          tr += `${license}\t${r() < 0.6 ? 'LEGACY_BASIC_SSC' : 'LEGACY_BASIC_NASRO'}\t${text(legacyOn)}\tt\t\\N\tSchool Safety Center\n`;
          sTraining.rows++;
          if (r() < 0.25) {
            const on = mandate + Math.floor(r() * (asOf - mandate));
            tr += `${license}\t${r() < 0.5 ? 'SRO_MANDATED' : 'SRO_SUPPLEMENTAL'}\t${text(on)}\t${r() < 0.9 ? 't' : 'f'}\tMN-POST-${i % 9000}\tMN POST\n`;
            sTraining.rows++;
          }
        } else if (kind < 0.5) {
          // New SRO in grace: the employer could not provide the course in time.
          start = mandate + Math.floor(r() * (asOf - mandate));
          unavailable = true;
        } else {
          start = dayOf('2014-01-01') + Math.floor(r() * (asOf - dayOf('2014-01-01')));
          const fate = r();
          if (fate < 0.7) {
            const on = Math.min(asOf, Math.max(dayOf('2020-01-01'), start - 30 + Math.floor(r() * 400)));
            tr += `${license}\tSRO_MANDATED\t${text(on)}\t${r() < 0.875 ? 't' : 'f'}\tMN-POST-${i % 9000}\tMN POST\n`;
            sTraining.rows++;
          } else if (fate < 0.82) {
            end = Math.min(asOf - 1, start + Math.floor(r() * 1500));
            if (end < start) end = start;
          }
        }
        for (let j = 0; j < districts.length; j++) {
          const s = start + j * 7; // distinct (license, district, start) anyway; stagger for realism
          const e = end === null ? '\\N' : text(Math.max(end, s));
          as += `${license}\t${districtId(districts[j]!)}\t\\N\t${role}\t${text(s)}\t${e}\t${unavailable ? 't' : 'f'}\n`;
          sAssignment.rows++;
        }
        // Policy reviews: 85 % at or before the start, some with an earlier review too.
        if (r() < 0.85) {
          const on = Math.max(dayOf('2010-01-01'), start - Math.floor(r() * 60));
          rv += `${license}\t${agency}\t${text(on)}\n`;
          sReview.rows++;
          if (r() < 0.2) {
            rv += `${license}\t${agency}\t${text(on - 365 - Math.floor(r() * 300))}\n`;
            sReview.rows++;
          }
        }
      }
      await Promise.all([
        write(sOfficer, o),
        write(sAssignment, as),
        write(sTraining, tr),
        write(sReview, rv),
        write(sDay, cd),
      ]);
      if (n >= 200_000 && (from / CHUNK) % 40 === 39) log(`  … ${from + CHUNK} officers`);
    }
    for (const s of streams) await finish(s);
  } catch (e) {
    for (const s of streams) await s.client.end().catch(() => undefined);
    throw e;
  }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query('ANALYZE');
  await c.end();
  const ms = performance.now() - started;
  const rows = Object.fromEntries(streams.map((s) => [s.table, s.rows]));
  const totalRows = streams.reduce((t, s) => t + s.rows, 0);
  return {
    officers: n,
    agencies: agencySizes.length,
    districts: districtCount,
    rows,
    totalRows,
    ms,
    rowsPerSecond: (totalRows * 1000) / ms,
  };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const databaseUrl = args.get('database') ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('--database URL (or DATABASE_URL) is required');
  const officers = intArg(args, 'officers', 10_000);
  const seed = intArg(args, 'seed', 1);
  if (args.get('migrate') !== 'false') await applyMigrations(databaseUrl);
  const r = await generateRoster({ officers, databaseUrl, seed, asOf: args.get('as-of') ?? BENCH_AS_OF });
  console.log(`generated ${r.officers} officers (${r.agencies} agencies, ${r.districts} districts), seed ${seed}`);
  console.log(
    `rows: ${Object.entries(r.rows)
      .map(([t, k]) => `${t}=${k}`)
      .join(' ')}`,
  );
  console.log(
    `loaded ${r.totalRows} rows in ${(r.ms / 1000).toFixed(2)} s: ${Math.round(r.rowsPerSecond)} rows/s (${Math.round((r.officers * 1000) / r.ms)} officers/s)`,
  );
  const csv = args.get('csv');
  const json = args.get('json');
  if (csv !== undefined || json !== undefined) {
    await exportRoster(databaseUrl, { csv, json });
    console.log(
      `wrote${csv === undefined ? '' : ` the CSV folder ${csv}`}${json === undefined ? '' : ` the JSON file ${json}`}`,
    );
  }
}
