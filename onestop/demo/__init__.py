"""Deterministic demo data of OneStop (issue 2 §6): 泊里镇, 青岛西海岸新区, at the town's real scale.

A plain package, not an app. `loader.load()` writes everything in one transaction with bulk inserts;
`onestop demo` calls it and prints one account per role. Every module draws from its own
`random.Random` with a fixed seed and iterates over lists only, so two loads give identical data.
"""
