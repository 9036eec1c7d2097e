export { anyFreeLocalPort as freePort } from '../../src/portForward/localPorts';
