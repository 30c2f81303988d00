-- A tenant's products and orders: also the schema of every tenant schema with tables but no version.
-- Run as the tenant's role, with only its schema on the search path. Money is numeric(12,2): exact, as wide as the API allows.
CREATE TABLE product (
    id text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    description text,
    sku text NOT NULL UNIQUE,
    price numeric(12,2) NOT NULL CHECK (price >= 0),
    quantity integer NOT NULL CHECK (quantity >= 0),
    backordered_limit integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL);
CREATE INDEX product_by_creation ON product (created_at, id);
CREATE TABLE customer_order (
    id text COLLATE "C" PRIMARY KEY,
    order_name text NOT NULL,
    creation_date timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('processing', 'shipped', 'delivered', 'cancelled')));
CREATE INDEX customer_order_by_creation ON customer_order (creation_date, id);
CREATE TABLE order_line (
    order_id text COLLATE "C" NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    line_no integer NOT NULL,
    product_id text NOT NULL,
    product_name text NOT NULL,
    product_sku text NOT NULL,
    product_description text,
    quantity integer NOT NULL CHECK (quantity > 0),
    price numeric(12,2) NOT NULL,
    PRIMARY KEY (order_id, line_no));
