import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { Logger } from '../daemon/Logger';
import { prepareProject } from './prepareProject';
import { CheckedDocument, ProjectDiagnostics } from './ProjectDiagnostics';

export const ProjectCommandIds = {
  prepare: 'devspaces.prepareProject',
} as const;

/** devspaces.yaml in the Problems panel as it is typed, and "Prepare Project…". */
export function registerProject(context: CommandContext, log: Logger): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('devspaces');
  const diagnostics = new ProjectDiagnostics(
    context.daemon,
    {
      set: (key, problems) =>
        collection.set(
          vscode.Uri.parse(key),
          problems.map((p) => {
            const diagnostic = new vscode.Diagnostic(
              new vscode.Range(p.startLine, p.startCharacter, p.endLine, p.endCharacter),
              p.message,
              p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
            );
            diagnostic.source = 'devspaces';
            return diagnostic;
          }),
        ),
      clear: (key) => collection.delete(vscode.Uri.parse(key)),
    },
    log,
  );
  const checked = (document: vscode.TextDocument): CheckedDocument => ({
    key: document.uri.toString(),
    path: document.uri.fsPath,
    getText: () => document.getText(),
  });
  const openFiles = () => vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map(checked);
  if (context.daemon.state.kind === 'running') {
    diagnostics.recheck(openFiles());
  }
  return [
    collection,
    diagnostics,
    vscode.workspace.onDidOpenTextDocument((d) => d.uri.scheme === 'file' && diagnostics.opened(checked(d))),
    vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.scheme === 'file' && diagnostics.changed(checked(e.document))),
    vscode.workspace.onDidSaveTextDocument((d) => d.uri.scheme === 'file' && diagnostics.saved(checked(d))),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.closed(checked(d))),
    context.daemon.onDidChangeState((state) => state.kind === 'running' && diagnostics.recheck(openFiles())),
    vscode.commands.registerCommand(ProjectCommandIds.prepare, () => prepareProject(context, log)),
  ];
}
