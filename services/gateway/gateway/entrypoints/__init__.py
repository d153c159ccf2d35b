"""How the gateway's own parts are reached: its HTTP routes (events, subscriptions, the
dashboard) and the consumer of quality events. The proxy in front of the services is edge/."""
