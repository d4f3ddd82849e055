"""The write side: validating records and appending them to the store, all or nothing."""
