/** What extension/e2e/run found and prepared; the tests refuse to run without it. */
export interface E2eEnvironment {
  readonly tools: string;
  readonly kubeconfig: string;
  readonly daemon: string;
  readonly vsix: string;
  readonly work: string;
}

export function e2eEnvironment(): E2eEnvironment {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value) {
      throw new Error(`${name} is not set: run the end-to-end tests with 'npm run test:e2e' (extension/e2e/run).`);
    }
    return value;
  };
  return {
    tools: read('E2E_TOOLS'),
    kubeconfig: read('DEVSPACES_E2E_KUBECONFIG'),
    daemon: read('DEVSPACES_E2E_DAEMON'),
    vsix: read('DEVSPACES_E2E_VSIX'),
    work: read('DEVSPACES_E2E_WORK'),
  };
}
