// Run by tests/test_jshell.py through ./jshell: the toolkit in plain JShell, no kernel.
System.out.println("pmap: " + pmap(x -> x * x, range(5)));
System.out.println("pimap: " + pimap(x -> x * x, range(5)).toList());
System.out.println("unordered sorted: " + pimapUnordered(x -> x * x, range(5)).sorted().toList());
List<Integer> slow = pmap(x -> { Thread.sleep(20); return x * x; }, range(30), options().progress("squares"));
System.out.println("slow sum: " + slow.stream().mapToInt(Integer::intValue).sum());
try {
    pmap(x -> 10 / (x - 3), range(10));
} catch (ParException e) {
    System.out.println("error: " + e.getMessage());
}
/exit
