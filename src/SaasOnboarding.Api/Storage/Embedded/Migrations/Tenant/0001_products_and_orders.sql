-- A tenant's products and orders: also the schema of every tenant file with tables but no version.
CREATE TABLE product (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    sku TEXT NOT NULL UNIQUE,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    backordered_limit INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE customer_order (
    id TEXT PRIMARY KEY,
    order_name TEXT NOT NULL,
    creation_date TEXT NOT NULL,
    status TEXT NOT NULL);
CREATE TABLE order_line (
    order_id TEXT NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    product_sku TEXT NOT NULL,
    product_description TEXT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no));
-- Listings page in creation order (keyset pagination on these pairs).
CREATE INDEX product_by_creation ON product (created_at, id);
CREATE INDEX customer_order_by_creation ON customer_order (creation_date, id);
