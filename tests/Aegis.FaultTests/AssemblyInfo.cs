// The fault run measures recovery times and the fuzzer counts outcomes: neither should share the two cores with the
// other while it runs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
