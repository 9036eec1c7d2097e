import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCodes } from '../src/protocol/errors';
import * as rpc from '../src/protocol/methods';
import { ProtocolModule, RpcSchema, contractDifferences } from './support/contractDiff';

const schemaPath = path.resolve(__dirname, '..', '..', '..', 'schemas', 'rpc.json');
const loadSchema = (): RpcSchema => JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as RpcSchema;
const ours: ProtocolModule = {
  requests: rpc.requests,
  notifications: rpc.notifications,
  definitions: rpc.definitions,
  errorCodes: ErrorCodes,
};

describe('Protocol module against schemas/rpc.json', () => {
  it('Matches_The_Schema_In_Methods_Notifications_Types_And_Error_Codes', () => {
    assert.deepEqual(contractDifferences(loadSchema(), ours), []);
  });

  it('Speaks_The_Schema_Protocol_Version', () => {
    assert.equal(rpc.protocolVersion, (JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as { protocolVersion: number }).protocolVersion);
  });

  it('A_Method_Added_Only_To_The_Schema_Is_Reported', () => {
    const schema = loadSchema();
    schema.methods['space/rename'] = { params: { properties: { name: {} } }, result: { type: 'null' } };
    assert.deepEqual(contractDifferences(schema, ours), [
      "request: 'space/rename' is in schemas/rpc.json but not in the extension's protocol module",
    ]);
  });

  it('A_Method_Added_Only_To_The_Extension_Is_Reported', () => {
    const extra: ProtocolModule = {
      ...ours,
      requests: [...ours.requests, { method: 'space/rename', params: ['name'], result: null }],
    };
    assert.deepEqual(contractDifferences(loadSchema(), extra), [
      "request: 'space/rename' is in the extension's protocol module but not in schemas/rpc.json",
    ]);
  });

  it('A_Parameter_Or_Notification_Or_Error_Code_On_One_Side_Only_Is_Reported', () => {
    const schema = loadSchema();
    schema.methods['space/create'].params.properties['labels'] = {};
    schema.notifications['daemon/log'] = { params: { $ref: '#/$defs/ErrorInfo' } };
    schema.errors.codes['QuotaExceeded'] = { code: 1999 };
    schema.$defs['SpaceInfo'].properties!['owner'] = {};
    const problems = contractDifferences(schema, ours);
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /params of space\/create: 'labels'/);
    assert.match(problems.join('\n'), /notification: 'daemon\/log'/);
    assert.match(problems.join('\n'), /error code: 'QuotaExceeded'/);
    assert.match(problems.join('\n'), /properties of SpaceInfo: 'owner'/);
  });

  it('Declares_Each_Method_Once', () => {
    const methods = [...rpc.requests, ...rpc.notifications].map((d) => d.method);
    assert.equal(new Set(methods).size, methods.length);
  });
});
