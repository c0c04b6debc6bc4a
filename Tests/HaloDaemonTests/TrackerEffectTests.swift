@testable import HaloDaemon
import Testing

/// keepalived's weight rules for one tracked script or file.
@Suite struct TrackerEffectTests {
    @Test func aPositiveWeightIsAddedWhileTheScriptIsUp() {
        #expect(TrackerEffect.of(status: .up, weight: 10, reversed: false) == .weight(10))
        #expect(TrackerEffect.of(status: .down, weight: 10, reversed: false) == .none)
    }

    @Test func aNegativeWeightIsAddedWhileTheScriptIsDown() {
        #expect(TrackerEffect.of(status: .down, weight: -20, reversed: false) == .weight(-20))
        #expect(TrackerEffect.of(status: .up, weight: -20, reversed: false) == .none)
    }

    @Test func weightZeroFaultsWhileDown() {
        #expect(TrackerEffect.of(status: .down, weight: 0, reversed: false) == .fault)
        #expect(TrackerEffect.of(status: .up, weight: 0, reversed: false) == .none)
    }

    @Test func reverseSwapsWhatCountsAsFailing() {
        #expect(TrackerEffect.of(status: .up, weight: -20, reversed: true) == .weight(-20))
        #expect(TrackerEffect.of(status: .down, weight: -20, reversed: true) == .none)
        #expect(TrackerEffect.of(status: .down, weight: 10, reversed: true) == .weight(10))
        #expect(TrackerEffect.of(status: .up, weight: 0, reversed: true) == .fault)
    }

    @Test func noResultYetHasNoEffect() {
        for weight in [-5, 0, 5] {
            for reversed in [false, true] {
                #expect(TrackerEffect.of(status: .unknown, weight: weight, reversed: reversed) == .none)
            }
        }
    }

    @Test func aTrackFileAddsValueTimesWeight() {
        #expect(TrackerEffect.of(fileValue: 3, weight: 5, reversed: false) == .weight(15))
        #expect(TrackerEffect.of(fileValue: -4, weight: 5, reversed: false) == .weight(-20))
        #expect(TrackerEffect.of(fileValue: 3, weight: -2, reversed: false) == .weight(-6))
        #expect(TrackerEffect.of(fileValue: 0, weight: 5, reversed: false) == .none)
        // reverse negates the product.
        #expect(TrackerEffect.of(fileValue: 3, weight: 5, reversed: true) == .weight(-15))
    }

    @Test func aTrackFileWithWeightZeroFaultsOnAnyNonZeroValue() {
        #expect(TrackerEffect.of(fileValue: 0, weight: 0, reversed: false) == .none)
        #expect(TrackerEffect.of(fileValue: 1, weight: 0, reversed: false) == .fault)
        #expect(TrackerEffect.of(fileValue: -7, weight: 0, reversed: false) == .fault)
    }

    @Test func aProductThatOverflowsIsAFaultNotAWrappedWeight() {
        #expect(TrackerEffect.of(fileValue: Int.max, weight: 2, reversed: false) == .fault)
    }
}
