import type { Device } from '../auth/devices';
import type { Queryable } from '../store/store';
import type { RecordAccess } from './apply-op';
import { parentVillageFromStore, propagateVillages } from './record-village';
import { insertRecord, markDeleted, readRecordForUpdate, updateRecord } from './records';

/**
 * Records read and written one statement at a time, straight in the transaction: the fallback
 * when a push-wide batch cannot be used (a create raced another transaction), and the reference
 * the batch is tested against.
 */
export function storeRecords(tx: Queryable, device: Device, now: Date): RecordAccess {
  const communeCode = device.communeCode;
  return {
    readForUpdate: (id) => readRecordForUpdate(tx, communeCode, id),
    parentVillage: parentVillageFromStore(tx, communeCode),
    insert: (write) => insertRecord(tx, write),
    update: (write) => updateRecord(tx, write),
    markDeleted: ({ id, baseVersion }) =>
      markDeleted(tx, { communeCode, id, baseVersion, updatedAt: now, deviceId: device.deviceId }),
    async propagate(parent) {
      await propagateVillages(tx, communeCode, [parent]);
    },
    scoringView: undefined,
  };
}
