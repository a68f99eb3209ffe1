import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { approvalReason, run } from './index.js';

type Row = Record<string, unknown>;

// Dozens of orders placed and followed over HTTP: give a busy 2-core machine room.
describe('order-approval', { timeout: 120_000 }, () => {
  it('holds orders that need approval, enters them Pending Approval, and follows the approver both ways', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'order-approval' });
    try {
      const report = await run({ systems, stores, orders: 18, approvalLimit: 300 });
      const d = report.details;
      expect(report.converged, JSON.stringify(d.left)).toBe(true);
      expect(d.needingApproval.length).toBeGreaterThanOrEqual(6);
      expect(d.approved.length + d.rejected.length).toBe(d.needingApproval.length);
      expect(d.rejected.length).toBeGreaterThan(0);
      expect(d.approved.length).toBeGreaterThan(0);

      const commerce = [...systems.emulators!.commerce.state.orders.values()] as Row[];
      const byIncrement = new Map(commerce.map((o) => [String(o.increment_id), o]));
      for (const id of d.rejected) {
        const order = byIncrement.get(id)!;
        expect(order.state).toBe('canceled');
        const history = (order.status_histories ?? []) as Row[];
        expect(history.map((h) => h.comment)).toContain(
          'Cancelled: the order was not approved in the ERP.',
        );
      }
      for (const id of d.approved) {
        const items = (byIncrement.get(id)!.items ?? []) as Row[];
        expect(items.every((i) => Number(i.qty_invoiced) === Number(i.qty_ordered))).toBe(true);
      }
      // NetSuite: approved orders moved to B, rejected to C, by the approver's decision.
      const salesOrders = systems.emulators!.netsuite.state.records('salesOrder') as Row[];
      const statusOf = (id: string) => {
        const so = salesOrders.find((s) => s.otherRefNum === id)!;
        const status = so.orderStatus as { id?: string } | string;
        return typeof status === 'string' ? status : status.id;
      };
      for (const id of d.rejected) expect(statusOf(id)).toBe('C');
      for (const id of d.approved) expect(statusOf(id)).toBe('B');
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('judges by the approval limit first, then by the credit the customer has left', () => {
    const credit = { creditLimit: 1000, exposure: 900 };
    expect(approvalReason(500, { creditLimit: undefined, exposure: 0 }, 400)).toBe(
      'over approval limit',
    );
    expect(approvalReason(150, credit, 400)).toBe('over credit limit');
    expect(approvalReason(100, credit, 400)).toBeUndefined();
    expect(approvalReason(100, { creditLimit: undefined, exposure: 1e9 }, 400)).toBeUndefined();
  });

  it('converges with faults injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, orders: 24, approvalLimit: 300 });
      expect(report.converged, JSON.stringify(report.details.left)).toBe(true);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
