import { locateChain } from '../kubeconfig/locate';
import { diagnose, Finding, Repair } from '../usecases/doctor/diagnose';
import { CwError } from '../errors';
import { formatData } from '../output/format';
import { note, Streams } from '../output/streams';
import type { CommandArgs, DOCTOR_OPTIONS } from './options';
import { PREFIX, withHints } from './hints';
import { writeOptions } from './flags';
import type { WriteRecord } from '../files/journal';

export type DoctorArgs = CommandArgs<typeof DOCTOR_OPTIONS>;

const describe = (f: Finding) =>
  `${f.severity === 'info' ? 'info: ' : ''}${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}; fix: ${withHints(f.fix, f.hints)}\n`;

const describeRepair = (r: Repair) =>
  r.kind === 'chmod' ? `chmod ${r.mode.toString(8)} ${r.file}` : `rename ${r.section.slice(0, -1)} "${r.from}" to "${r.to}" in ${r.file}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const fileList = (record: WriteRecord) => record.files.map((f) => f.file).join(', ');

/** A write killed half-way: `--fix` rolls it back (as the next write would), plain doctor reports it. */
async function interruptedWrites(args: DoctorArgs, streams: Streams): Promise<void> {
  if (args.fix && !args.dryRun) {
    const { recoverInterruptedWrites } = await import('../files/transaction');
    for (const { record } of await recoverInterruptedWrites(streams.env))
      note(streams, `fixing: rolled back the interrupted ${record.command} of ${record.time} (${fileList(record)})`);
    return;
  }
  const { interrupted } = await import('../files/journal');
  for (const { record } of interrupted(streams.env)) {
    note(
      streams,
      `${fileList(record)}: an interrupted ${record.command} of ${record.time} left these files half-written; fix: \`kubectl cwtoken doctor --fix\` (or any write) rolls it back`,
    );
  }
}

/**
 * Reports every problem of the kubeconfig chain, one line each (or as records with -o); with --fix, applies the
 * safe repairs (--dry-run: shows them). Problems left make it exit with its own code, apart from "cannot load".
 */
export async function doctor(args: DoctorArgs, streams: Streams): Promise<void> {
  const chain = locateChain({ kubeconfig: args.kubeconfig, env: streams.env });
  await interruptedWrites(args, streams);
  const { findings } = await diagnose(chain);
  const problems = findings.filter((f) => f.severity === 'problem');
  const repairs = args.fix ? problems.flatMap((f) => (f.repair ? [f.repair] : [])) : [];
  if (args.output) {
    streams.out(formatData({ problems: problems.length, findings, fixes: repairs.map(describeRepair), dryRun: args.dryRun }, args.output));
  } else {
    for (const finding of findings) streams.out(describe(finding));
    if (problems.length === 0) streams.out(`no problems found in ${chain.paths.join(', ')}\n`);
  }
  for (const r of repairs) note(streams, `${args.dryRun ? 'would fix' : 'fixing'}: ${describeRepair(r)}`);
  if (repairs.length && !args.dryRun) await (await import('../usecases/doctor/repair')).applyRepairs(repairs, writeOptions('doctor --fix', {}, streams));
  const left = args.dryRun ? problems.length : problems.length - repairs.length;
  if (left === 0) return;
  if (args.fix && !args.dryRun) throw new CwError('problems', `${plural(left, 'problem')} need${left === 1 ? 's' : ''} a fix by hand (see above)`);
  const fixable = problems.filter((f) => f.repair).length;
  const hint = fixable && !args.fix ? `; \`${PREFIX} doctor --fix\` applies ${fixable} of the fixes` : '';
  throw new CwError('problems', `found ${plural(problems.length, 'problem')} in the kubeconfig${hint}`);
}
