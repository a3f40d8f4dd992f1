// License ranges of a roster, for a scan split into range jobs (src/app/scan-fan-out.ts).
import type pg from 'pg';

export interface LicenseRange {
  /** Exclusive lower bound; null: from the first officer. */
  afterLicense: string | null;
  /** Inclusive upper bound; null: through the last officer. */
  throughLicense: string | null;
}

/**
 * Splits the roster into license ranges of `size` officers (the last may be smaller), for
 * range jobs that several workers scan in parallel. One index-only pass over the officer
 * keys; ranges are contiguous and cover every license, including officers added meanwhile.
 */
export async function planScanRanges(pool: pg.Pool, size: number): Promise<LicenseRange[]> {
  const r = await pool.query<[string]>({
    text: `SELECT license FROM (SELECT license, row_number() OVER (ORDER BY license) AS n FROM officer) t
           WHERE n % $1 = 0 ORDER BY license`,
    values: [size],
    rowMode: 'array',
  });
  const bounds = r.rows.map((row) => row[0]);
  const ranges: LicenseRange[] = [];
  let after: string | null = null;
  for (const through of bounds) {
    ranges.push({ afterLicense: after, throughLicense: through });
    after = through;
  }
  ranges.push({ afterLicense: after, throughLicense: null });
  return ranges;
}
