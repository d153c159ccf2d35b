"""The gateway's own rules, in plain Python: which events a filter wants, who may subscribe and
see a subscription, how a delivery attempt is recorded and when a receiver is given up on."""
