import { DefinitionName, NotificationDeclaration, RequestDeclaration } from '../../src/protocol/methods';

/** The parts of schemas/rpc.json the extension must agree with. */
export interface RpcSchema {
  methods: Record<string, { params: { properties: Record<string, unknown> }; result: { $ref?: string; type?: unknown } }>;
  notifications: Record<string, { params: { $ref?: string } }>;
  errors: { codes: Record<string, { code: number }> };
  $defs: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>;
}

export interface ProtocolModule {
  readonly requests: readonly RequestDeclaration[];
  readonly notifications: readonly NotificationDeclaration[];
  readonly definitions: Readonly<Record<string, readonly string[]>>;
  readonly errorCodes: Readonly<Record<string, number>>;
}

const refName = (ref: string | undefined): string | undefined => ref?.replace(/^#\/\$defs\//, '');

function sameSet(what: string, schema: readonly string[], ours: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of schema) {
    if (!ours.includes(name)) {
      problems.push(`${what}: '${name}' is in schemas/rpc.json but not in the extension's protocol module`);
    }
  }
  for (const name of ours) {
    if (!schema.includes(name)) {
      problems.push(`${what}: '${name}' is in the extension's protocol module but not in schemas/rpc.json`);
    }
  }
  return problems;
}

/** Every difference between the schema and the protocol module, as readable lines. */
export function contractDifferences(schema: RpcSchema, protocol: ProtocolModule): string[] {
  const problems: string[] = [];
  problems.push(...sameSet('request', Object.keys(schema.methods), protocol.requests.map((r) => r.method)));
  for (const request of protocol.requests) {
    const method = schema.methods[request.method];
    if (!method) {
      continue;
    }
    problems.push(...sameSet(`params of ${request.method}`, Object.keys(method.params.properties ?? {}), request.params));
    const expected = method.result.type === 'null' ? null : (refName(method.result.$ref) ?? JSON.stringify(method.result));
    if (expected !== request.result) {
      problems.push(`result of ${request.method}: schema has ${String(expected)}, protocol module has ${String(request.result)}`);
    }
  }

  problems.push(
    ...sameSet('notification', Object.keys(schema.notifications), protocol.notifications.map((n) => n.method)),
  );
  for (const notification of protocol.notifications) {
    const declared = schema.notifications[notification.method];
    if (declared && refName(declared.params.$ref) !== notification.params) {
      problems.push(
        `params of notification ${notification.method}: schema has ${String(declared.params.$ref)}, protocol module has ${notification.params}`,
      );
    }
  }

  problems.push(...sameSet('type', Object.keys(schema.$defs), Object.keys(protocol.definitions)));
  for (const [name, ours] of Object.entries(protocol.definitions)) {
    const definition = schema.$defs[name as DefinitionName];
    if (!definition) {
      continue;
    }
    const theirs = definition.enum ?? Object.keys(definition.properties ?? {});
    problems.push(...sameSet(`${definition.enum ? 'values' : 'properties'} of ${name}`, theirs, ours));
  }

  problems.push(...sameSet('error code', Object.keys(schema.errors.codes), Object.keys(protocol.errorCodes)));
  for (const [name, code] of Object.entries(protocol.errorCodes)) {
    const declared = schema.errors.codes[name];
    if (declared && declared.code !== code) {
      problems.push(`error code ${name}: schema has ${declared.code}, protocol module has ${code}`);
    }
  }
  return problems;
}
