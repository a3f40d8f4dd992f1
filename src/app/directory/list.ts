// The whole directory for admins (RULES.md 11): every agency and every district, each as its
// own `GET` answers, by id. A state's directory is a few hundred rows of each.
import { listAgencies } from '../../db/directory/agencies.ts';
import { listDistricts } from '../../db/directory/districts.ts';
import { readAllUndeliverable } from '../../db/directory/deliverability.ts';
import { authorize } from '../fact-change.ts';
import type { Viewer } from '../policy.ts';
import { type AgencyAnswer, agencyAnswer } from './agencies.ts';
import type { DirectoryDeps } from './change.ts';
import { type DistrictAnswer, districtAnswer } from './districts.ts';

export type { DirectoryDb } from '../../db/directory/client.ts';

export interface DirectoryAnswer {
  agencies: AgencyAnswer[];
  districts: DistrictAnswer[];
}

export async function directoryFor(deps: DirectoryDeps, viewer: Viewer): Promise<DirectoryAnswer> {
  authorize(viewer, 'directory.list', null);
  const [agencies, districts, marks] = await Promise.all([
    listAgencies(deps.db),
    listDistricts(deps.db),
    readAllUndeliverable(deps.db),
  ]);
  return {
    agencies: agencies.map((a) => agencyAnswer(a, marks.AGENCY.get(a.id))),
    districts: districts.map((d) => districtAnswer(d, marks.DISTRICT.get(d.id))),
  };
}
