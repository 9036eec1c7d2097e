import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { containerPortOf, isLocalPortFree, suggestLocalPort } from '../../src/portForward/localPorts';

const port = (targetPort: string | null, containerPort: number | null, servicePort = 80) => ({
  name: 'http',
  port: servicePort,
  targetPort,
  protocol: 'TCP',
  nodePort: null,
  containerPort,
});

describe('Local port suggestion', () => {
  it('Prefers_The_Container_Port_The_Daemon_Resolved_Then_A_Numeric_Target_Then_The_Service_Port', () => {
    assert.equal(containerPortOf(port('http', 8080)), 8080, 'a named target port resolved from the pods');
    assert.equal(containerPortOf(port('3000', null)), 3000);
    assert.equal(containerPortOf(port('http', null)), 80, 'a name no pod declares: the service port');
    assert.equal(containerPortOf(port(null, null, 9090)), 9090);
  });

  it('Moves_A_Privileged_Port_Up_And_Skips_Ports_In_Use', async () => {
    const free = (taken: number[]) => (candidate: number) => Promise.resolve(!taken.includes(candidate));
    assert.equal(await suggestLocalPort(8080, free([])), 8080);
    assert.equal(await suggestLocalPort(80, free([])), 8080, '80 needs root');
    assert.equal(await suggestLocalPort(443, free([])), 8443);
    assert.equal(await suggestLocalPort(8080, free([8080, 8081])), 8082);
    const any = await suggestLocalPort(5000, () => Promise.resolve(false));
    assert.ok(any >= 1024, `when every nearby port is taken the system picks one: ${any}`);
  });

  it('A_Port_Something_Listens_On_Is_Not_Free', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: used } = server.address() as net.AddressInfo;
    try {
      assert.equal(await isLocalPortFree(used), false);
      assert.notEqual(await suggestLocalPort(used), used);
    } finally {
      server.close();
    }
  });
});
