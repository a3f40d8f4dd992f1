import { AS_OF_HELP } from './as-of.ts';
import type { Command } from './command.ts';
import { writeReportFile } from './report-file.ts';

export const evidenceCommand: Command = {
  help: `Synopsis: sro evidence --output FILE.zip [--as-of D] [--agency ID | --district ID]

Writes the evidence packet an auditor asks for: one ZIP file holding
  compliance-report.pdf   the compliance report (what 'sro report --format pdf' writes)
  officers.csv            the same rows as the report, one per officer: every column of
                          'sro report --format csv', then the training that satisfies the
                          rule, its course number and provider, the certificate on file,
                          the latest policy review and an open acknowledgment
  LICENSE-LASTNAME-KIND-DATE.pdf (or .png, .jpg)
                          every certificate file held for the officers in scope, e.g.
                          24101-Johnson-SRO_MANDATED-2025-08-15.pdf
  manifest.json           {"scope", "asOf", "generatedAt", "files": [{"name", "sha256",
                          "bytes"}]}: check a file with 'sha256sum' against it
The packet is streamed: memory stays small however many certificates it holds. Each
packet made is recorded in the audit log (who, the scope, the as-of date).

Options:
  --output FILE  the ZIP file to write (required); written whole or not at all
${AS_OF_HELP}
  --agency ID    only the officers of agency ID
  --district ID  only the officers with an assignment active on D in district ID
                 Without --agency or --district: every officer on the roster.

An --agency or --district id the roster does not have is an error (exit 1, naming it).

Examples:
  sro evidence --agency MN0240100 --output albert-lea-pd-evidence.zip
  sro evidence --district ISD241 --as-of 2026-06-30 --output isd241-2026-06-30.zip`,
  options: {
    output: { type: 'string' },
    'as-of': { type: 'string' },
    agency: { type: 'string', multiple: true },
    district: { type: 'string', multiple: true },
  },
  run: (ctx) => writeReportFile(ctx, 'evidence'),
};
