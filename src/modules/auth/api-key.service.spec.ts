import { sha256Hex } from '../../common/crypto/secrets';
import { SystemClock } from '../../common/clock/clock';
import type { AppConfig } from '../../config/app-config';
import type { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';

const ROW = { id: 'k1', owner_type: 'admin' as const, retailer_id: null, carrier_id: null, carrier_code: null, role: 'agent', admin_user_id: 'u1' };

/** An ApiKeyService over a repository whose lookups the test answers, one at a time. */
function newTestService() {
  const lookups: Array<(row: typeof ROW | undefined) => void> = [];
  const repository = {
    findActiveByHash: jest.fn(() => new Promise<typeof ROW | undefined>((resolve) => lookups.push(resolve))),
    listForOwner: jest.fn(async () => [{ keyHash: sha256Hex('secret') }]),
  };
  const sut = new ApiKeyService(repository as unknown as ApiKeyRepository, new SystemClock(), { auth: {} } as AppConfig);
  return { sut, repository, answer: (row: typeof ROW | undefined) => lookups.shift()!(row) };
}

describe('ApiKeyService principal cache', () => {
  it('serves a looked-up key from the cache until the key’s user is evicted', async () => {
    const { sut, repository, answer } = newTestService();
    const first = sut.authenticate('secret');
    answer(ROW);
    await expect(first).resolves.toMatchObject({ role: 'agent', userId: 'u1' });
    await expect(sut.authenticate('secret')).resolves.toMatchObject({ role: 'agent' });
    expect(repository.findActiveByHash).toHaveBeenCalledTimes(1);

    await sut.evictAdminUser('u1');
    const afterEviction = sut.authenticate('secret');
    answer(undefined); // disabled meanwhile
    await expect(afterEviction).resolves.toBeNull();
    expect(repository.findActiveByHash).toHaveBeenCalledTimes(2);
  });

  it('does not cache a lookup that read the database before an eviction and finished after it', async () => {
    const { sut, repository, answer } = newTestService();
    const inFlight = sut.authenticate('secret');
    sut.evict({ keyHash: sha256Hex('secret') }); // the change commits while the lookup is on its way
    answer(ROW); // the lookup saw the state before the change
    await expect(inFlight).resolves.toMatchObject({ role: 'agent' });

    const next = sut.authenticate('secret');
    answer(undefined);
    await expect(next).resolves.toBeNull();
    expect(repository.findActiveByHash).toHaveBeenCalledTimes(2);
  });
});
