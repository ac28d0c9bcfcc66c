-- Work lists sorted, filtered and searched more ways (issue 23, docs/performance.md).
--
-- Sorting by next deadline the other way (latest first, cases without one still last), read
-- in order instead of sorting every case of a long list.
CREATE INDEX cases_worklist_order_desc ON cases ((next_due_on IS NULL), next_due_on DESC,
    reference DESC);
-- Sorting by date received, with the reference as the tie-break so paging is stable. Replaces
-- the index on the date alone, which this one begins with.
DROP INDEX cases_received;
CREATE INDEX cases_received_order ON cases (received_on, reference);
-- A search by postcode or telephone number. Both are stored in one form (`Postcode`: upper
-- case with one space; `PhoneNumber`: national digits) by every writer, which parses through
-- those types, and the search reads what was typed through the same types, so equal values
-- are compared and a plain index answers. Email addresses are stored in lower case the same
-- way and already have an index (complainants_email).
CREATE INDEX complainants_postcode ON complainants (postcode);
CREATE INDEX complainants_phone ON complainants (phone);
-- Filtering by category or contractor, which no index led with.
CREATE INDEX cases_category ON cases (category_id);
CREATE INDEX cases_contractor ON cases (contractor_id);
