import { recorded, resetFake } from '../support/fakeVscode';
import * as assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { CommandContext, CommandIds } from '../../src/commands/CommandContext';
import { Logger } from '../../src/daemon/Logger';
import { CheckedDocument, ProblemSink, ProjectDiagnostics } from '../../src/project/ProjectDiagnostics';
import { ProblemRange, isProjectFile, toProblemRange } from '../../src/project/problemRanges';
import { prepSummary, prepareProject } from '../../src/project/prepareProject';
import * as rpc from '../../src/protocol/methods';
import { CheckProjectParams, ProjectCheckResult, ProjectProblem } from '../../src/protocol/types';
import { SpacesModel } from '../../src/state/SpacesModel';
import { ErrorPresenter } from '../../src/ui/ErrorPresenter';
import { FakeDaemonClient } from '../support/FakeDaemonClient';
import { waitFor } from '../support/waitFor';

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const unknownKey: ProjectProblem = {
  severity: 'error',
  message: "unknown key 'dockerfil' in build; did you mean 'dockerfile'?",
  line: 5,
  column: 3,
  endLine: 5,
  endColumn: 12,
};

class RecordingSink implements ProblemSink {
  readonly shown = new Map<string, readonly ProblemRange[]>();
  set(key: string, problems: readonly ProblemRange[]): void {
    this.shown.set(key, problems);
  }
  clear(key: string): void {
    this.shown.delete(key);
  }
}

function document(path: string, text: () => string): CheckedDocument {
  return { key: `file://${path}`, path, getText: text };
}

describe('devspaces.yaml in the Problems panel', () => {
  it('Problem_Positions_Become_Zero_Based_Ranges_With_At_Least_One_Character', () => {
    assert.deepEqual(toProblemRange(unknownKey), {
      startLine: 4,
      startCharacter: 2,
      endLine: 4,
      endCharacter: 11,
      severity: 'error',
      message: unknownKey.message,
    });
    const empty = toProblemRange({ ...unknownKey, severity: 'warning', line: 1, column: 1, endLine: 1, endColumn: 1 });
    assert.deepEqual([empty.startCharacter, empty.endCharacter, empty.severity], [0, 1, 'warning']);
  });

  it('Only_Files_Named_Devspaces_Yaml_Are_Checked', async () => {
    const daemon = new FakeDaemonClient();
    daemon.handle(rpc.CheckProject.type, ({ path }): ProjectCheckResult => ({ path, problems: [] }));
    const diagnostics = new ProjectDiagnostics(daemon, new RecordingSink(), quiet, 1);
    diagnostics.opened(document('/w/api/values.yaml', () => ''));
    diagnostics.opened(document('/w/api/devspaces.yaml', () => 'version: 1\n'));
    await waitFor(() => daemon.sent.length > 0, 'a check');
    assert.deepEqual(daemon.sentTo('project/check'), [{ path: '/w/api/devspaces.yaml', text: 'version: 1\n' }]);
    assert.equal(isProjectFile('C:\\w\\devspaces.yaml'), true);
    diagnostics.dispose();
  });

  it('Typing_Sends_The_Latest_Text_Once_After_The_Pause_And_Shows_Its_Problems', async () => {
    const daemon = new FakeDaemonClient();
    daemon.handle(rpc.CheckProject.type, ({ path, text }: CheckProjectParams): ProjectCheckResult => ({
      path,
      problems: text?.includes('dockerfil:') ? [unknownKey] : [],
    }));
    const sink = new RecordingSink();
    const diagnostics = new ProjectDiagnostics(daemon, sink, quiet, 20);
    let text = 'build:\n';
    const doc = document('/w/api/devspaces.yaml', () => text);
    for (const typed of ['  d', 'ockerfil', ': Dockerfile\n']) {
      text += typed;
      diagnostics.changed(doc);
    }
    await waitFor(() => sink.shown.has(doc.key), 'the problems of the typed text');
    assert.equal(daemon.sent.length, 1, 'one check for the burst');
    assert.deepEqual(sink.shown.get(doc.key)?.map((p) => [p.startLine, p.message]), [[4, unknownKey.message]]);

    text = text.replace('dockerfil:', 'dockerfile:');
    diagnostics.saved(doc);
    await waitFor(() => sink.shown.get(doc.key)?.length === 0, 'the fixed file to have no problems');
    diagnostics.closed(doc);
    assert.equal(sink.shown.has(doc.key), false, 'closing removes its problems');
    diagnostics.dispose();
  });

  it('An_Answer_To_An_Older_Text_Never_Replaces_A_Newer_One', async () => {
    const daemon = new FakeDaemonClient();
    const answers: ((result: ProjectCheckResult) => void)[] = [];
    daemon.handle(rpc.CheckProject.type, () => new Promise<ProjectCheckResult>((resolve) => answers.push(resolve)));
    const sink = new RecordingSink();
    const diagnostics = new ProjectDiagnostics(daemon, sink, quiet, 1);
    const doc = document('/w/devspaces.yaml', () => 'x');
    const first = diagnostics.check(doc);
    const second = diagnostics.check(doc);
    await waitFor(() => answers.length === 2, 'both checks sent');
    answers[1]?.({ path: doc.path, problems: [] });
    await second;
    answers[0]?.({ path: doc.path, problems: [unknownKey] });
    await first;
    assert.deepEqual(sink.shown.get(doc.key), []);
  });

  it('A_Daemon_That_Cannot_Answer_Leaves_The_Panel_As_It_Was', async () => {
    const daemon = new FakeDaemonClient();
    const warnings: string[] = [];
    const sink = new RecordingSink();
    const diagnostics = new ProjectDiagnostics(daemon, sink, { ...quiet, warn: (m) => warnings.push(m) }, 1);
    await diagnostics.check(document('/w/devspaces.yaml', () => 'x'));
    assert.equal(sink.shown.size, 0);
    assert.match(warnings[0] ?? '', /Could not check \/w\/devspaces.yaml/);
  });
});

describe('Prepare Project…', () => {
  beforeEach(() => resetFake());

  function commandContext(daemon: FakeDaemonClient): CommandContext {
    return {
      daemon,
      model: new SpacesModel(daemon, quiet),
      errors: new ErrorPresenter(quiet, { showOutput: CommandIds.showOutput, restartDaemon: CommandIds.restartDaemon }),
      showOutput: () => undefined,
      restartDaemon: () => Promise.resolve(),
    };
  }

  it('Prepares_The_Picked_Workspace_Folder_And_Offers_To_Open_Devspaces_Yaml', async () => {
    recorded.workspaceFolders = [{ uri: { scheme: 'file', fsPath: '/w/api' } }];
    const daemon = new FakeDaemonClient();
    daemon.handle(rpc.PrepareProject.type, ({ folder }) => ({
      folder: folder ?? '',
      runtime: 'dotnet',
      service: 'api',
      written: ['k8s/api.yaml', 'devspaces.yaml'],
      skipped: ['Dockerfile'],
      notes: ['On the bundled local cluster (no registry), set build.args …'],
    }));
    const logged: string[] = [];
    recorded.user.quickPick.push((items) => items[0]);
    recorded.user.messageAnswers.push('Open devspaces.yaml');

    await prepareProject(commandContext(daemon), { ...quiet, info: (m) => logged.push(m) });

    assert.deepEqual(daemon.sentTo('project/prep'), [{ folder: '/w/api', service: null }]);
    assert.equal(
      recorded.messages[0]?.text,
      "Prepared 'api' (dotnet). Wrote k8s/api.yaml, devspaces.yaml. Kept the existing Dockerfile. Notes are in the DevSpaces output.",
    );
    assert.deepEqual(recorded.shownDocuments, ['/w/api/devspaces.yaml']);
    assert.match(logged[0] ?? '', /bundled local cluster/);
  });

  it('Says_When_Nothing_Was_Written', () => {
    const text = prepSummary({ folder: '/w', runtime: 'node', service: 'web', written: [], skipped: ['Dockerfile'], notes: [] });
    assert.equal(text, "Prepared 'web' (node). Wrote nothing. Kept the existing Dockerfile.");
  });
});
