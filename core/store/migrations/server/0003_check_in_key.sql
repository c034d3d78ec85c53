-- Server 0003: the key that signs meeting check-in codes (Ed25519, PKCS#8). Made once, on the
-- first meeting; its public half travels with every meeting so phones verify codes offline.
CREATE TABLE signing_keys (
    purpose    TEXT PRIMARY KEY,
    pkcs8      BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
