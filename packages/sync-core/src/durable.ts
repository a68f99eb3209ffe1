// Owned by the durable work: reservations, idempotency, queue.
export {};
