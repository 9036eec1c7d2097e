// The port mappings the daemon accepts (schemas/rpc.json portForward/start `ports`), checked in the
// input box so a typo is explained before anything is sent.

const portName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Splits what the user typed ("8080:80, 9229") into mappings. */
export function splitPortMappings(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function checkPort(text: string, what: string): string | undefined {
  if (!/^\d+$/.test(text)) {
    return `${what} '${text}' is not a number.`;
  }
  const port = Number(text);
  return port >= 1 && port <= 65535 ? undefined : `${what} ${port} is outside 1–65535.`;
}

/** Why a mapping list is not accepted, or undefined when it is. */
export function validatePortMappings(text: string): string | undefined {
  const mappings = splitPortMappings(text);
  if (mappings.length === 0) {
    return 'Enter LOCAL:REMOTE (e.g. 8080:80), :REMOTE for any free local port, or one PORT for both.';
  }
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    if (parts.length > 2) {
      return `'${mapping}' has more than one ':'; use LOCAL:REMOTE.`;
    }
    const [local, remote] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['', parts[0] ?? ''];
    if (local !== '') {
      const problem = checkPort(local, 'Local port');
      if (problem) {
        return problem;
      }
    }
    if (remote === '') {
      return `'${mapping}' names no remote port; use LOCAL:REMOTE.`;
    }
    if (!/^\d+$/.test(remote)) {
      if (parts.length === 1) {
        return `'${mapping}' is not a port number; a named remote port needs a local port too (e.g. 8080:${mapping}).`;
      }
      if (!portName.test(remote) || remote.length > 15) {
        return `Remote port '${remote}' is neither a number nor a port name (lower-case letters, digits, '-', at most 15).`;
      }
    } else {
      const problem = checkPort(remote, 'Remote port');
      if (problem) {
        return problem;
      }
    }
  }
  return undefined;
}

const targetForm =
  /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?(pod|pods|po|deployment|deployments|deploy|service|services|svc)\/)?[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** Why a typed target is not accepted, or undefined when it is. */
export function validateTarget(text: string): string | undefined {
  const target = text.trim();
  if (target.length === 0) {
    return 'Enter pod/NAME, deployment/NAME or service/NAME.';
  }
  if (!targetForm.test(target)) {
    return `'${target}' is not pod/NAME, deployment/NAME, service/NAME or NAMESPACE/KIND/NAME (lower-case names).`;
  }
  return undefined;
}
