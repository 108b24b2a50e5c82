import { locateChain } from '../kubeconfig/locate';
import { diagnose, Finding, Repair } from '../usecases/doctor/diagnose';
import { CwError } from '../errors';
import { note, Streams } from '../output/streams';
import type { CommandArgs, DOCTOR_OPTIONS } from './options';
import { PREFIX, withHints } from './hints';

export type DoctorArgs = CommandArgs<typeof DOCTOR_OPTIONS>;

const describe = (f: Finding) => `${f.severity === 'info' ? 'info: ' : ''}${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}; fix: ${withHints(f.fix, f.hints)}\n`;

const describeRepair = (r: Repair) =>
  r.kind === 'chmod' ? `chmod ${r.mode.toString(8)} ${r.file}` : `rename ${r.section.slice(0, -1)} "${r.from}" to "${r.to}" in ${r.file}`;

/** Reports every problem of the kubeconfig chain, one line each; with --fix, applies the safe repairs. */
export async function doctor(args: DoctorArgs, streams: Streams): Promise<void> {
  const chain = locateChain({ kubeconfig: args.kubeconfig, env: streams.env });
  const { findings } = await diagnose(chain);
  for (const finding of findings) streams.out(describe(finding));
  const problems = findings.filter((f) => f.severity === 'problem');
  if (args.fix) {
    const repairs = problems.flatMap((f) => (f.repair ? [f.repair] : []));
    if (repairs.length) {
      for (const r of repairs) note(streams, `fixing: ${describeRepair(r)}`);
      await (await import('../usecases/doctor/repair')).applyRepairs(repairs);
    }
    const left = problems.length - repairs.length;
    if (left) throw new CwError('config', `${left} problem${left === 1 ? '' : 's'} need${left === 1 ? 's' : ''} a fix by hand (see above)`);
    return;
  }
  if (problems.length === 0) return;
  const fixable = problems.filter((f) => f.repair).length;
  const hint = fixable ? `; \`${PREFIX} doctor --fix\` applies ${fixable} of the fixes` : '';
  throw new CwError('config', `found ${problems.length} problem${problems.length === 1 ? '' : 's'} in the kubeconfig${hint}`);
}
