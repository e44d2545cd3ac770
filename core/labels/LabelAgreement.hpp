#pragma once
// How far two label sets agree (two annotators, or before and after a review), measured on a
// sample grid t_k = k / gridRateHz, k = 0 .. ceil(extent * rate) - 1, where extent is the later
// end of the two sets (or extent_s when given). At each grid time a set says the class of the
// interval holding it (start <= t < end), or "unlabelled". Times neither set labels are left out.
//  - agreement: share of grid times where both say the same (unlabelled counts as a category);
//  - Cohen's kappa over the same categories: (p_o - p_e) / (1 - p_e);
//  - per class: times A says it, B says it, both say it, and the Dice agreement 2*both/(a+b);
//  - overlap/extent: grid times both label (any class) over grid times either labels;
//  - boundary displacement: every distinct interval edge of one set to the nearest edge of the
//    other (count, mean, median, 90th percentile with linear interpolation, max), both ways.
#include <cstddef>
#include <string>
#include <vector>

#include "labels/LabelInterval.hpp"

namespace imuwb {

struct ClassAgreement {
  std::string name;
  std::size_t countA = 0, countB = 0, countBoth = 0;  // grid times
  double dice = 0;                                    // 2*both / (a+b); 0 when both are 0
};

struct DisplacementStats {
  std::size_t count = 0;
  double mean_s = 0, median_s = 0, p90_s = 0, max_s = 0;
};

struct LabelAgreement {
  double gridRateHz = 0;
  std::size_t gridPoints = 0;  // grid times where at least one set labels
  double agreement = 0;        // p_o
  double kappa = 0;            // NaN when p_e == 1 (one category only)
  double overlapRatio = 0;     // both labelled / either labelled
  std::vector<ClassAgreement> classes;
  DisplacementStats boundariesAtoB, boundariesBtoA;
};

LabelAgreement compareLabels(const LabelSet& a, const LabelSet& b, double gridRateHz,
                             double extent_s = 0);

}  // namespace imuwb
