import Foundation
import KAMTesting
import Synchronization
import Testing

@Suite("OnThreads", .timeLimit(.minutes(10)))
struct OnThreadsTests {
    struct Odd: Error, Equatable {
        let index: Int
    }

    @Test("each index runs once, on threads that are all running at the same time; results come back by index")
    func allAtOnceByIndex() async {
        let arrived = Atomic<Int>(0)
        let values = await OnThreads.values(8) { index -> Int in
            arrived.add(1, ordering: .sequentiallyConsistent)
            // Every thread waits here until all eight have arrived: only threads that really overlap get past.
            let deadline = Date().addingTimeInterval(30)
            while arrived.load(ordering: .sequentiallyConsistent) < 8, Date() < deadline { usleep(1_000) }
            return index * 10
        }
        #expect(values == [0, 10, 20, 30, 40, 50, 60, 70])
        #expect(arrived.load(ordering: .sequentiallyConsistent) == 8)
    }

    @Test("what a body throws is its index's result, and the others' values stand")
    func throwsAreResults() async {
        let results = await OnThreads.results(4) { index -> Int in
            if index % 2 == 1 { throw Odd(index: index) }
            return index
        }
        #expect(results.map { try? $0.get() } == [0, nil, 2, nil])
        #expect(results.compactMap { result -> Int? in
            if case .failure(let error as Odd) = result { return error.index }
            return nil
        } == [1, 3])
    }
}
