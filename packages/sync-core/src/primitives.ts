// Owned by the primitives work: ownership, echo, cursor, conflict, hash, reconcile, resolver, runner.
export {};
