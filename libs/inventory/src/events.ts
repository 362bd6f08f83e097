// Inventory's events live in its published contract (@rampart/inventory-contract), the one place other
// contexts may import them from; re-exported here so inventory's own code and its callers read them as before.
export * from '@rampart/inventory-contract';
