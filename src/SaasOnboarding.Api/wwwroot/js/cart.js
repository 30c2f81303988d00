// The cart: products and quantities picked from the product list, kept in sessionStorage for this tab and this
// user until the order is placed. Prices here are only an estimate: the API prices every line when ordering.

/** Price × quantity in whole cents, so that no binary float error shows in a sum of money. */
export function lineCents(price, quantity) {
  return Math.round(Number(price) * 100) * quantity;
}

export class Cart {
  constructor(session) {
    this.key = `saas.cart.${session.tenantId}.${session.userName}`;
    this.listeners = new Set();
  }

  get lines() {
    try {
      return JSON.parse(sessionStorage.getItem(this.key) ?? '[]');
    } catch {
      return [];
    }
  }

  get count() {
    return this.lines.reduce((sum, line) => sum + line.quantity, 0);
  }

  /** The estimated total in cents. */
  get totalCents() {
    return this.lines.reduce((sum, line) => sum + lineCents(line.price, line.quantity), 0);
  }

  add(product, quantity) {
    const lines = this.lines;
    const line = lines.find((candidate) => candidate.productId === product.id);
    if (line) {
      line.quantity += quantity;
      line.price = product.price;
      line.name = product.name;
    } else {
      lines.push({ productId: product.id, name: product.name, sku: product.sku, price: product.price, quantity });
    }

    this.save(lines);
  }

  setQuantity(productId, quantity) {
    this.save(this.lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)));
  }

  remove(productId) {
    this.save(this.lines.filter((line) => line.productId !== productId));
  }

  clear() {
    this.save([]);
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  save(lines) {
    sessionStorage.setItem(this.key, JSON.stringify(lines));
    for (const listener of this.listeners) {
      listener(this);
    }
  }
}
