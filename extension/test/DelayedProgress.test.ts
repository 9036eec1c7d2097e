import { recorded, resetFake } from './support/fakeVscode';
import * as assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { withDelayedProgress } from '../src/ui/withDelayedProgress';
import { nextEvent } from './support/waitFor';

beforeEach(() => resetFake());

describe('Progress notifications', () => {
  it('A_Quick_Request_Shows_No_Progress', async () => {
    const result = await withDelayedProgress('Selecting…', () => Promise.resolve(42), 1000);
    assert.equal(result, 42);
    assert.deepEqual(recorded.progress, []);
  });

  it('A_Slow_Request_Shows_A_Progress_Notification_Until_It_Ends', async () => {
    // The task finishes only once the notification is up, so the test needs no clock.
    const shown = nextEvent(recorded.progressShown.event, () => true, 'the progress notification');
    const result = await withDelayedProgress(
      'Creating space…',
      async () => {
        await shown;
        return 'done';
      },
      5,
    );
    assert.equal(result, 'done');
    assert.deepEqual(recorded.progress, [{ title: 'Creating space…' }]);
  });

  it('A_Failure_Reaches_The_Caller', async () => {
    await assert.rejects(withDelayedProgress('x', () => Promise.reject(new Error('boom')), 1000), /boom/);
  });
});
