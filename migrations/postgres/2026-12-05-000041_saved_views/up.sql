-- Issue 24: a user's saved work-list views, each the list's canonical query string (the
-- filters and sort, never a page) under a name of their own. Private to their owner.
CREATE TABLE saved_views (
    id SERIAL PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (owner_id, name)
);
