import { loadConfig } from '../kubeconfig/config';
import { CwError, invalidInput } from '../errors';
import { defaultFilename } from '../kubeconfig/locate';
import { writeOptions } from './flags';
import { tokenNotice } from '../secrets/token';
import { planSet, SetPlan } from '../usecases/token/set';
import { applyEdits } from '../kubeconfig/edit/apply';
import { readTokenInput } from '../input/token-input';
import { describeContexts, describeShadowing, reportTokenChanges } from './token-changes';
import { note, Streams } from '../output/streams';
import type { CommandArgs, SET_OPTIONS } from './options';
import { recordingChanges, recordUpdate } from '../usecases/lifecycle/record-edit';

export type SetArgs = CommandArgs<typeof SET_OPTIONS>;

/**
 * Writes a token into one user entry, in the file that defines it (or where kubectl would create it); refuses
 * when that entry is also what contexts on other servers send, unless --all-contexts or --split says how.
 */
export async function set(args: SetArgs, streams: Streams): Promise<void> {
  // As `kubectl config set-credentials ""`: an empty --user names no entry (it is not "the context's user").
  if (args.user === '') throw invalidInput('--user names no user: an empty user name is not allowed (nothing was written)');
  const update = recordUpdate(args);
  const { token } = await readTokenInput(args, streams);
  const { chain, config } = await loadConfig({ kubeconfig: args.kubeconfig, env: streams.env, missingExplicitIsEmpty: true });
  const plan = planSet({
    config,
    defaultFile: defaultFilename(chain),
    context: args.context,
    user: args.user,
    token,
    inline: args.inline,
    replaceAuth: args.replaceAuth,
    scope: args.split ? 'split' : args.allContexts ? 'all-contexts' : 'context',
  });
  if (plan.kind === 'beyond') throw refusal(plan);
  const hint = tokenNotice(token, plan.server);
  if (hint) note(streams, hint);

  const { record } = plan;
  // The named user is recorded even when its token does not change (`set --expires` dates the token it has), and
  // a tokenFile user always, since its kubeconfig entry is not where the token changes.
  const given = update.expiresAt !== undefined || update.note !== undefined;
  const recorded = recordingChanges(plan.changes, token, update, given || record.field === 'tokenFile' ? [{ file: record.file, user: record.user }] : []);
  const results = await applyEdits(recorded, writeOptions('set', args, streams));
  reportTokenChanges(streams, { changes: [record], impact: plan.impact, shadowing: plan.shadowing }, results, { dryRun: args.dryRun, output: args.output });
}

function refusal(plan: Extract<SetPlan, { kind: 'beyond' }>): CwError {
  const why = plan.shadowing ? ` (${describeShadowing(plan.shadowing)})` : '';
  return new CwError(
    'invalid-input',
    `user "${plan.user.name}" (${plan.user.file}) of context "${plan.context}"${why} is also used by context${plan.others.length > 1 ? 's' : ''} ${describeContexts(plan.others)} on other servers; nothing was written: pass --split to give "${plan.context}" its own user entry, or --all-contexts to change them all`,
  );
}
