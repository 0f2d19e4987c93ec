// ITK's standard rigid Mattes-MI recipe, in the pattern of ITK's ImageRegistration8 example (v4 framework), for
// benchmarks/compare/real-pairs.sh. Built by that script with cmake against Debian's libinsighttoolkit5-dev.
//
//   real-itk-rigid FIXED MOVING OUT.tfm      prints "metric <value> iterations <n per level, comma-separated>"
//
// VersorRigid3DTransform initialised by CenteredTransformInitializer (MomentsOn: centre = fixed centre of mass,
// translation = moving - fixed centre of mass, no rotation); MattesMutualInformationImageToImageMetricv4 (50 bins,
// 20% random samples, fixed seed); RegularStepGradientDescentOptimizerv4 (learning rate 1, minimum step 1e-3,
// relaxation 0.5, 200 iterations per level) with RegistrationParameterScalesFromPhysicalShift; 3 levels, shrink
// factors 4/2/1, smoothing sigmas 2/1/0 mm. The result is written as an ITK .tfm (VersorRigid3DTransform_double_3_3)
// mapping fixed -> moving points in LPS mm, as ITK always does.
#include "itkCenteredTransformInitializer.h"
#include "itkCommand.h"
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageRegistrationMethodv4.h"
#include "itkMattesMutualInformationImageToImageMetricv4.h"
#include "itkRegistrationParameterScalesFromPhysicalShift.h"
#include "itkRegularStepGradientDescentOptimizerv4.h"
#include "itkTransformFileWriter.h"
#include "itkVersorRigid3DTransform.h"

#include <iostream>
#include <sstream>
#include <string>

namespace
{
using OptimizerType = itk::RegularStepGradientDescentOptimizerv4<double>;

class IterationCounter : public itk::Command
{
public:
  using Self = IterationCounter;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  unsigned int count = 0;
  void Execute(itk::Object * caller, const itk::EventObject & event) override { Execute((const itk::Object *)caller, event); }
  void Execute(const itk::Object *, const itk::EventObject & event) override
  {
    if (itk::IterationEvent().CheckEvent(&event))
      ++count;
  }
};
class LevelObserver : public itk::Command
{
public:
  using Self = LevelObserver;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  IterationCounter * counter = nullptr;
  std::ostringstream * out = nullptr;
  unsigned int * last = nullptr;
  unsigned int level = 0;
  void Execute(itk::Object * caller, const itk::EventObject & event) override { Execute((const itk::Object *)caller, event); }
  void Execute(const itk::Object *, const itk::EventObject & event) override
  {
    if (!itk::MultiResolutionIterationEvent().CheckEvent(&event))
      return;
    if (level++ > 0)
    {
      *out << (level > 2 ? "," : "") << counter->count - *last;
      *last = counter->count;
    }
  }
};
} // namespace

int
main(int argc, char * argv[])
{
  if (argc != 4)
  {
    std::cerr << "usage: " << argv[0] << " FIXED MOVING OUT.tfm\n";
    return 2;
  }
  constexpr unsigned int Dimension = 3;
  using ImageType = itk::Image<float, Dimension>;
  using TransformType = itk::VersorRigid3DTransform<double>;
  using MetricType = itk::MattesMutualInformationImageToImageMetricv4<ImageType, ImageType>;
  using RegistrationType = itk::ImageRegistrationMethodv4<ImageType, ImageType, TransformType>;

  try
  {
    auto fixedReader = itk::ImageFileReader<ImageType>::New();
    fixedReader->SetFileName(argv[1]);
    fixedReader->Update();
    auto movingReader = itk::ImageFileReader<ImageType>::New();
    movingReader->SetFileName(argv[2]);
    movingReader->Update();

    auto transform = TransformType::New();
    using InitializerType = itk::CenteredTransformInitializer<TransformType, ImageType, ImageType>;
    auto initializer = InitializerType::New();
    initializer->SetTransform(transform);
    initializer->SetFixedImage(fixedReader->GetOutput());
    initializer->SetMovingImage(movingReader->GetOutput());
    initializer->MomentsOn();
    initializer->InitializeTransform();

    auto metric = MetricType::New();
    metric->SetNumberOfHistogramBins(50);
    metric->SetUseMovingImageGradientFilter(false);
    metric->SetUseFixedImageGradientFilter(false);

    auto scales = itk::RegistrationParameterScalesFromPhysicalShift<MetricType>::New();
    scales->SetMetric(metric);

    auto optimizer = OptimizerType::New();
    optimizer->SetLearningRate(1.0);
    optimizer->SetMinimumStepLength(0.001);
    optimizer->SetRelaxationFactor(0.5);
    optimizer->SetNumberOfIterations(200);
    optimizer->SetScalesEstimator(scales);
    optimizer->SetDoEstimateLearningRateOnce(false);
    optimizer->SetDoEstimateLearningRateAtEachIteration(false);
    auto counter = IterationCounter::New();
    optimizer->AddObserver(itk::IterationEvent(), counter);

    auto registration = RegistrationType::New();
    registration->SetFixedImage(fixedReader->GetOutput());
    registration->SetMovingImage(movingReader->GetOutput());
    registration->SetMetric(metric);
    registration->SetOptimizer(optimizer);
    registration->SetInitialTransform(transform);
    registration->InPlaceOn();
    registration->SetMetricSamplingStrategy(RegistrationType::MetricSamplingStrategyType::RANDOM);
    registration->SetMetricSamplingPercentage(0.20);
    registration->MetricSamplingReinitializeSeed(121212);

    RegistrationType::ShrinkFactorsArrayType shrink(3);
    shrink[0] = 4;
    shrink[1] = 2;
    shrink[2] = 1;
    RegistrationType::SmoothingSigmasArrayType sigmas(3);
    sigmas[0] = 2;
    sigmas[1] = 1;
    sigmas[2] = 0;
    registration->SetNumberOfLevels(3);
    registration->SetShrinkFactorsPerLevel(shrink);
    registration->SetSmoothingSigmasPerLevel(sigmas);
    registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(true);

    std::ostringstream perLevel;
    unsigned int last = 0;
    auto levels = LevelObserver::New();
    levels->counter = counter.GetPointer();
    levels->out = &perLevel;
    levels->last = &last;
    registration->AddObserver(itk::MultiResolutionIterationEvent(), levels);

    registration->Update();
    perLevel << "," << counter->count - last;

    auto writer = itk::TransformFileWriterTemplate<double>::New();
    writer->SetInput(transform);
    writer->SetFileName(argv[3]);
    writer->Update();
    std::cout << "metric " << optimizer->GetValue() << " iterations " << perLevel.str() << " stop \""
              << optimizer->GetStopConditionDescription() << "\"\n";
  }
  catch (const itk::ExceptionObject & e)
  {
    std::cerr << "ITK registration failed: " << e << "\n";
    return 1;
  }
  return 0;
}
