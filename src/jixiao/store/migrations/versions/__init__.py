"""Migration scripts, one per revision, applied in order by ``jixiao.store.migrate``."""
