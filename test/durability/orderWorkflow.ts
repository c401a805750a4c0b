/**
 * The seed's order intake, against the kitchen, inventory and POS stand-ins: create the order,
 * reserve each item (a loop), pause (a durable timer), schedule it in the kitchen, summarize.
 * Four POSTs with side effects, one per logical invocation.
 */
export function orderWorkflow(urls: { pos: string; inventory: string; kitchen: string }): string {
  return `
document: { dsl: '1.0.3', namespace: acme, name: order-intake, version: '1.0.0' }
use:
  secrets: [pos, inventoryKey, kitchenToken]
  authentications:
    posAuth:
      bearer:
        use: pos
do:
  - createOrder:
      call: http
      with:
        method: post
        endpoint:
          uri: ${urls.pos}/orders
          authentication:
            use: posAuth
        body:
          customer: { name: '\${ .customer }' }
          items: '\${ .items }'
      export:
        as: '{ orderId: .orderId, items: .items }'
  - reserveItems:
      for:
        in: '\${ $context.items }'
        each: line
      do:
        - reserveItem:
            call: http
            with:
              method: post
              endpoint: ${urls.inventory}/reservations
              headers:
                X-Api-Key: '\${ $secrets.inventoryKey }'
              body:
                orderId: '\${ $context.orderId }'
                items: '\${ [ $line ] }'
  - letItSettle:
      wait:
        seconds: 1
  - scheduleKitchen:
      call: http
      with:
        method: post
        endpoint:
          uri: ${urls.kitchen}/schedules
          authentication:
            bearer:
              token: '\${ $secrets.kitchenToken }'
        body:
          orderId: '\${ $context.orderId }'
          items: '\${ $context.items }'
  - summarize:
      set:
        orderId: '\${ $context.orderId }'
        scheduleId: '\${ .scheduleId }'
        status: '\${ .status }'
`;
}

export const orderInput = {
  customer: 'Ada',
  items: [
    { sku: 'bun', quantity: 2 },
    { sku: 'patty', quantity: 2 },
  ],
};
