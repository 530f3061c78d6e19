using Xunit;

// Experiments measure the machine: all in one collection, so they run one at a time and do not measure each other.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
