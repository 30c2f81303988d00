-- SKUs are unique ignoring the case of A-Z (SQLite's lower() folds ASCII letters only); the writes check the same
-- expression first. Fails, and leaves the file at version 1, if two stored SKUs differ only in case.
CREATE UNIQUE INDEX IF NOT EXISTS product_sku_folded ON product (lower(sku));
